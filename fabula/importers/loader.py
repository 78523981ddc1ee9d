"""Stage two of every import: write a dump into the archive, through the actions.

The loader reads a dump (from `sources/efiction/` or from `fabula write-dump`) kind by kind, in
the order of `dump.KINDS`, and writes each item through the actions. Every item it writes is
recorded (`ImportRecord`: the item's key in the dump -> its row), in the same transaction as
the item, so:

- a rerun of the same dump skips what is there and changes nothing;
- an interrupted import (killed, crashed) is rerun to completion: the batch that was being
  written rolled back as a whole, and everything before it is skipped;
- one bad item (an id taken by another row, a reference to something not imported) is skipped
  and reported, and the rest goes on.

Rows are written in bulk, a batch of a kind at a time (`fabula.lib.db.insert`), and a batch that
fails is written again one item at a time to find the bad ones.

The search index is not kept up as the items arrive (its hooks are paused): once everything is
in, the index stage writes the rows of the imported stories in one pass, a batch of stories per
transaction, each story recorded as indexed with its rows. A story that a later run adds to (a
chapter that failed before) loses that record, so a rerun indexes what the last one did not.

The report counts, per kind, what was read, imported and skipped, with the reason for each skip.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from fabula.accounts.models import User
from fabula.community import actions as community
from fabula.community.models import Review
from fabula.conf.markup import sanitize
from fabula.importers import actions as imports
from fabula.importers.dump import KINDS, Dump, from_json_date
from fabula.importers.models import ImportRecord
from fabula.lib.db import bulk_writing, insert_rows
from fabula.search import indexing
from fabula.stories import actions
from fabula.stories.models import Challenge, Chapter, Series, Status, Story
from fabula.taxonomy.models import Rating, Tag, TagKind

ALREADY = "already imported"
BATCH = 500
INDEXED = "search index"  # the ImportRecord kind of a story whose search index rows are written
INDEX_WORKERS = 2  # connections writing the search index at once, on PostgreSQL


@dataclass
class Tally:
    read: int = 0
    imported: int = 0
    skipped: Counter = field(default_factory=Counter)
    in_source: int | None = None  # rows the converter read, where that differs from `read`


@dataclass
class Report:
    kinds: dict[str, Tally] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # item by item, converter's then loader's
    indexed_stories: int = 0  # what the index stage wrote in this run
    indexed_chapters: int = 0

    def tally(self, kind: str) -> Tally:
        return self.kinds.setdefault(kind, Tally())

    def skip(self, kind: str, item, reason: str) -> None:
        self.tally(kind).skipped[reason] += 1
        if reason != ALREADY:
            self.problems.append(f"{kind} {item}: {reason}")

    def lines(self) -> list[str]:
        lines = []
        for kind, tally in self.kinds.items():
            skipped = sum(tally.skipped.values())
            line = (
                f"{kind:<15} {tally.read:>7} read {tally.imported:>7} imported {skipped:>7} skipped"
            )
            reasons = "; ".join(f"{n} {reason}" for reason, n in tally.skipped.most_common())
            if tally.in_source is not None and tally.in_source != tally.read:
                reasons = "; ".join(
                    filter(None, [f"{tally.in_source} rows in the source", reasons])
                )
            lines.append(line + (f" ({reasons})" if reasons else ""))
        lines.append(
            f"{'search index':<15} {self.indexed_stories:>7} stories indexed "
            f"({self.indexed_chapters} chapters)"
        )
        if self.problems:
            lines.append(f"{len(self.problems)} problems, item by item:")
            lines += [f"  {problem}" for problem in self.problems]
        return lines


def load_dump(
    dump: Dump, *, progress: Callable[[str, int, int], None] | None = None, batch: int = BATCH
) -> Report:
    return Loader(dump, progress, batch).run()


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Loader:
    def __init__(self, dump: Dump, progress=None, batch: int = BATCH):
        self.dump = dump
        self.source = dump.source or "dump"
        self.progress = progress or (lambda label, done, total: None)
        self.batch = batch
        self.report = Report()
        self.done: dict[str, dict[str, int]] = defaultdict(dict)
        for kind, key, new_id in ImportRecord.objects.filter(source=self.source).values_list(
            "kind", "key", "new_id"
        ):
            self.done[kind][key] = new_id
        self._pending: list[tuple[str, str, int | None]] = []  # (kind, key, new_id)

    # --- bookkeeping ---------------------------------------------------------------------

    def record(self, kind: str, key, new_id: int | None) -> None:
        self.done[kind][str(key)] = new_id
        self._pending.append((kind, str(key), new_id))

    def flush(self) -> None:
        """Write the pending records, in one statement (an import writes tens of thousands)."""
        self._write_records(self._pending)
        self._pending = []

    def _write_records(self, records: list[tuple[str, str, int | None]]) -> None:
        now = timezone.now()
        insert_rows(
            ImportRecord,
            ("source", "kind", "key", "new_id", "created_at"),
            [(self.source, kind, key, new_id, now) for kind, key, new_id in records],
        )

    def changed_after_indexing(self, story_ids: Iterable[int]) -> None:
        """Something was added to these stories: those indexed by an earlier run are to be
        indexed again (call it in the transaction of the write)."""
        keys = {str(pk) for pk in story_ids} & self.done[INDEXED].keys()
        if keys:
            ImportRecord.objects.filter(source=self.source, kind=INDEXED, key__in=keys).delete()
            for key in keys:
                del self.done[INDEXED][key]

    def new_id(self, kind: str, key) -> int | None:
        return None if key is None else self.done[kind].get(str(key))

    def each(
        self,
        kind: str,
        write: Callable[[dict], str | None],
        key: Callable[[dict], object],
        label: str | None = None,
        records: Iterable[dict] | None = None,
        bulk: Callable[[list[dict]], tuple[dict, list[dict]]] | None = None,
    ) -> None:
        """Write the records of `kind`, a batch per transaction.

        With `bulk`, a batch is first written in one go: it returns the reasons for the items
        it refused and the items it leaves to `write`. If the bulk write fails, the batch is
        written again one item at a time, each under a savepoint, so that a failing item is
        skipped alone with its reason.
        """
        tally = self.report.tally(kind)
        total = self.dump.count(kind)
        done = 0
        for chunk in _chunks(self.dump.records(kind) if records is None else records, self.batch):
            with transaction.atomic():
                todo = []
                for item in chunk:
                    tally.read += 1
                    if str(key(item)) in self.done[kind]:
                        self.report.skip(kind, key(item), ALREADY)
                    else:
                        todo.append(item)
                if bulk is not None and todo:
                    try:
                        with transaction.atomic():
                            reasons, left = bulk(todo)
                    except Exception:
                        self._forget(kind, [key(item) for item in todo])
                    else:
                        for item in todo:
                            if str(key(item)) in reasons:
                                self.report.skip(kind, key(item), reasons[str(key(item))])
                            elif all(item is not other for other in left):
                                tally.imported += 1
                        todo = left
                for item in todo:
                    item_key = key(item)
                    try:
                        with transaction.atomic():
                            reason = write(item)
                    except Exception as error:
                        self._forget(kind, [item_key])
                        reason = f"{type(error).__name__}: {error}"
                    if reason:
                        self.report.skip(kind, item_key, reason)
                    else:
                        tally.imported += 1
                self.flush()
            done += len(chunk)
            self.progress(label or f"loading {kind}", done, max(total, done))

    def _all_or_one_by_one(self, kind: str, rows: list, write: Callable[[list], object]) -> int:
        """Write `rows` (already recorded) in one go; if that fails, one at a time, and skip
        and report those that fail. Returns how many were written."""
        if not rows:
            return 0
        try:
            with transaction.atomic():
                write(rows)
            return len(rows)
        except Exception:
            pass
        written = 0
        for row in rows:
            try:
                with transaction.atomic():
                    write([row])
                written += 1
            except Exception as error:
                self._forget(kind, [row.pk])
                self.report.skip(kind, row.pk, f"{type(error).__name__}: {error}")
        return written

    def _forget(self, kind: str, keys: list) -> None:
        """Records of items whose writing was rolled back."""
        keys = {str(k) for k in keys}
        self._pending = [p for p in self._pending if not (p[0] == kind and p[1] in keys)]
        for k in keys:
            self.done[kind].pop(k, None)

    # --- the whole dump ------------------------------------------------------------------

    def run(self) -> Report:
        self.load()
        self.index()
        return self.report

    def load(self) -> Report:
        """Every kind of the dump, in order; the search index is left to `index`."""
        with indexing.paused(), bulk_writing():
            self.converter_problems()
            self.settings()
            self.each("ratings", self.rating, lambda r: r["id"])
            self.each("tag_kinds", self.tag_kind, lambda r: r["key"])
            self.each("tags", self.tag, lambda r: r["key"])
            self.tag_synonyms()
            self.members()
            self.each("challenges", self.challenge, lambda r: r["id"])
            self.each("stories", self.story, lambda r: r["id"], bulk=self.stories_bulk)
            self.chapters()
            series = list(self.dump.records("series"))
            self.each("series", self.series, lambda r: r["id"], records=series)
            self.series_entries(series)
            # Reviews that keep their id first, then replies (new ids, after every kept one).
            kept = (r for r in self.dump.records("reviews") if r.get("id") is not None)
            self.each(
                "reviews", self.review, lambda r: r["key"], records=kept, bulk=self.reviews_bulk
            )
            replies = (r for r in self.dump.records("reviews") if r.get("id") is None)
            self.each("reviews", self.review, lambda r: r["key"], records=replies)
            community.reviews_recount(story_ids=self.done["stories"].values())
            self.each("favourites", self.favourite, self.favourite_key)
            self.each(
                "kudos", self.kudos, lambda r: f"{r['story']}:{r.get('user') or r.get('guest')}"
            )
            self.each("subscriptions", self.subscription, self.favourite_key)
            community.favourites_recount(story_ids=self.done["stories"].values())
        return self.report

    def index(self) -> Report:
        """The search index rows of the imported stories (of this run and earlier ones) not
        indexed yet, in one pass once everything is in."""
        indexed = {int(key) for key in self.done[INDEXED]}
        story_ids = sorted({pk for pk in self.done["stories"].values() if pk is not None} - indexed)
        batches = [
            story_ids[i : i + indexing.BATCH] for i in range(0, len(story_ids), indexing.BATCH)
        ]
        for batch, chapters in self._index_batches(batches):
            for pk in batch:
                self.done[INDEXED][str(pk)] = None
            self.report.indexed_stories += len(batch)
            self.report.indexed_chapters += chapters
            self.progress("building search index", self.report.indexed_stories, len(story_ids))
        if story_ids:
            indexing.optimize()
        return self.report

    def _index_batches(self, batches: list[list[int]]) -> Iterator[tuple[list[int], int]]:
        """Index each batch of stories, yielding it with its number of chapters, in order.

        On PostgreSQL, outside a transaction (one the other connections could not see into),
        INDEX_WORKERS connections write batches side by side: most of the work is the server's
        text parsing, which then runs on as many cores."""
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            with bulk_writing():
                for batch in batches:
                    yield batch, self._index_batch(batch)
            return
        with ThreadPoolExecutor(max_workers=INDEX_WORKERS) as pool:
            futures = [pool.submit(self._index_apart, batch) for batch in batches]
            try:
                for batch, future in zip(batches, futures, strict=True):
                    yield batch, future.result()
            except BaseException:
                for future in futures:
                    future.cancel()
                raise

    def _index_batch(self, batch: list[int]) -> int:
        """One transaction: the stories' rows and the records that they are indexed."""
        with transaction.atomic():
            chapters = indexing.index_stories(batch)
            self._write_records([(INDEXED, str(pk), None) for pk in batch])
        return chapters

    def _index_apart(self, batch: list[int]) -> int:
        """`_index_batch` in a worker thread, on a connection of its own, closed after."""
        try:
            with bulk_writing():
                return self._index_batch(batch)
        finally:
            connection.close()

    def converter_problems(self) -> None:
        """What the converter could not bring over counts as read and skipped."""
        read = self.dump.manifest.get("read", {})
        for problem in self.dump.problems():
            kind, item, reason = problem.get("kind"), problem.get("item"), problem.get("reason", "")
            self.report.problems.append(
                f"{kind} {item}: {reason}" if item is not None else f"{kind}: {reason}"
            )
        for kind in KINDS:
            if kind in read:
                self.report.tally(kind).in_source = read[kind]
            dropped = read.get(kind, 0) - self.dump.count(kind)
            if kind in read and dropped > 0:
                tally = self.report.tally(kind)
                tally.read += dropped
                tally.skipped["not readable in the source (see the problems)"] += dropped

    def settings(self) -> None:
        tally = self.report.tally("settings")
        if not self.dump.settings:
            return
        tally.read += 1
        if "site" in self.done["settings"]:
            self.report.skip("settings", "site", ALREADY)
            return
        with transaction.atomic():
            imports.site_settings_import(values=self.dump.settings)
            self.record("settings", "site", 1)
            self.flush()
        tally.imported += 1

    def rating(self, item: dict) -> str | None:
        existing = Rating.objects.filter(name__iexact=item["name"]).first()
        if existing is None:
            rating_id = item["id"] if not Rating.objects.filter(pk=item["id"]).exists() else None
            existing = imports.rating_import(
                rating_id=rating_id,
                name=item["name"],
                order=item.get("order", 0),
                registered_only=item.get("registered_only", False),
                age_consent=item.get("age_consent", False),
                warning=item.get("warning", False),
                warning_text=item.get("warning_text", ""),
                description=item.get("description", ""),
            )
        self.record("ratings", item["id"], existing.pk)

    def tag_kind(self, item: dict) -> str | None:
        kind = None
        if item.get("legacy_id") is not None:
            kind = TagKind.objects.filter(legacy_id=item["legacy_id"]).first()
        kind = kind or TagKind.objects.filter(slug=item["slug"], role=item["role"]).first()
        if kind is None:
            if TagKind.objects.filter(slug=item["slug"]).exists():
                return f"the slug {item['slug']!r} belongs to a tag kind of another role"
            kind = imports.tag_kind_import(
                slug=item["slug"],
                name=item["name"],
                role=item["role"],
                legacy_id=item.get("legacy_id"),
                order=item.get("order", 0),
                multiple=item.get("multiple", True),
                required=item.get("required", False),
            )
        self.record("tag_kinds", item["key"], kind.pk)

    def tag(self, item: dict) -> str | None:
        kind_id = self.new_id("tag_kinds", item["kind"])
        if kind_id is None:
            return f"its kind {item['kind']} was not imported"
        tag = None
        if item.get("legacy_id") is not None:
            tag = Tag.objects.filter(kind_id=kind_id, legacy_id=item["legacy_id"]).first()
        if tag is None:
            parent_id = self.new_id("tags", item.get("parent"))
            tag = imports.tag_import(
                kind=TagKind.objects.get(pk=kind_id),
                name=item["name"],
                legacy_id=item.get("legacy_id"),
                parent=Tag.objects.get(pk=parent_id) if parent_id else None,
                description=item.get("description", ""),
                locked=item.get("locked", False),
                order=item.get("order", 0),
            )
        self.record("tags", item["key"], tag.pk)

    def tag_synonyms(self) -> None:
        """Synonyms point at tags of any order, so they are set once every tag is in."""
        with transaction.atomic():
            for item in self.dump.records("tags"):
                tag_id, synonym_id = (
                    self.new_id("tags", item["key"]),
                    self.new_id("tags", item.get("synonym_of")),
                )
                if tag_id and synonym_id:
                    imports.tag_set_synonym(
                        tag=Tag.objects.get(pk=tag_id), synonym_of=Tag.objects.get(pk=synonym_id)
                    )

    def members(self) -> None:
        """Members in bulk (an archive has thousands): ids and password hashes kept."""
        kind, tally = "members", self.report.tally("members")
        taken = {
            name for name in User.objects.annotate(n=Lower("pen_name")).values_list("n", flat=True)
        }
        total, done = self.dump.count(kind), 0
        for chunk in _chunks(self.dump.records(kind), self.batch):
            ids = {item["id"] for item in chunk}
            used = set(User.objects.filter(pk__in=ids).values_list("pk", flat=True))
            new = []
            for item in chunk:
                tally.read += 1
                if str(item["id"]) in self.done[kind]:
                    self.report.skip(kind, item["id"], ALREADY)
                    continue
                if item["id"] in used:
                    self.report.skip(kind, item["id"], "its id is taken by another member")
                    continue
                pen_name = item["pen_name"]
                if pen_name.lower() in taken:
                    pen_name = f"{pen_name[:45]} (imported {item['id']})"
                    self.report.problems.append(
                        f"members {item['id']}: pen name {item['pen_name']!r} is taken; "
                        f"renamed {pen_name!r}"
                    )
                taken.add(pen_name.lower())
                level = item.get("level", "member")
                new.append(
                    User(
                        id=item["id"],
                        pen_name=pen_name,
                        email=item.get("email", ""),
                        real_name=item.get("real_name", ""),
                        bio=sanitize(item.get("bio", "")),
                        website=item.get("website", ""),
                        date_joined=from_json_date(item.get("date_joined"))
                        or from_json_date("2000-01-01T00:00:00+00:00"),
                        password=item.get("password") or make_password(None),
                        is_active=item.get("is_active", True),
                        level={"admin": User.Level.ADMIN, "moderator": User.Level.MODERATOR}.get(
                            level, User.Level.MEMBER
                        ),
                        is_staff=item.get("is_staff", level == "admin"),
                        is_superuser=item.get("is_superuser", level == "admin"),
                        trusted=item.get("trusted", False),
                        age_consent=item.get("age_consent", False),
                        **{f: item[f] for f in ("theme", "text_size", "default_sort") if f in item},
                    )
                )
                self.record(kind, item["id"], item["id"])
            with transaction.atomic():
                written = self._all_or_one_by_one(
                    kind, new, lambda rows: imports.members_import(members=rows)
                )
                self.flush()
            tally.imported += written
            done += len(chunk)
            self.progress("loading members", done, max(total, done))

    def challenge(self, item: dict) -> str | None:
        if Challenge.objects.filter(pk=item["id"]).exists():
            return "its id is taken by another challenge"
        owner_id = self.new_id("members", item.get("owner"))
        tags = Tag.objects.filter(pk__in=[self.new_id("tags", t) for t in item.get("tags", [])])
        imports.challenge_import(
            challenge_id=item["id"],
            title=item["title"],
            summary=item.get("summary", ""),
            owner=User.objects.filter(pk=owner_id).first() if owner_id else None,
            challenger=item.get("challenger", ""),
            tags=tags,
        )
        self.record("challenges", item["id"], item["id"])

    def _story_refusal(self, item: dict, taken: bool) -> str | None:
        if taken:
            return "its id is taken by another story"
        if not item["authors"] or any(self.new_id("members", a) is None for a in item["authors"]):
            return "an author of it was not imported"
        if self.new_id("ratings", item["rating"]) is None:
            return f"its rating {item['rating']} was not imported"
        return None

    def stories_bulk(self, items: list[dict]) -> tuple[dict, list[dict]]:
        taken = set(
            Story.objects.filter(pk__in=[i["id"] for i in items]).values_list("pk", flat=True)
        )
        reasons, prepared = {}, []
        for item in items:
            reason = self._story_refusal(item, item["id"] in taken)
            if reason:
                reasons[str(item["id"])] = reason
                continue
            prepared.append(
                actions.StoryImport(
                    story=Story(
                        id=item["id"],
                        title=item["title"],
                        summary=item.get("summary", ""),
                        notes=item.get("notes", ""),
                        rating_id=self.new_id("ratings", item["rating"]),
                        status=item.get("status", Status.PUBLISHED),
                        completed=item.get("completed", False),
                        featured=item.get("featured", False),
                        language=item.get("language", "en"),
                        published_at=from_json_date(item.get("published_at")),
                        updated_at=from_json_date(item.get("updated_at")),
                        archived_at=item.get("archived_at", "")[:500],
                        word_count=item.get("word_count") or 0,
                        read_count=item.get("read_count", 0),
                    ),
                    author_ids=[self.new_id("members", a) for a in item["authors"]],
                    tag_ids=[
                        t for t in (self.new_id("tags", k) for k in item.get("tags", [])) if t
                    ],
                    challenge_ids=[
                        c
                        for c in (self.new_id("challenges", k) for k in item.get("challenges", []))
                        if c
                    ],
                )
            )
        actions.stories_import(stories=prepared)
        for one in prepared:
            self.record("stories", one.story.pk, one.story.pk)
        return reasons, []

    def story(self, item: dict) -> str | None:
        if Story.objects.filter(pk=item["id"]).exists():
            return "its id is taken by another story"
        author_ids = [self.new_id("members", a) for a in item["authors"]]
        if not author_ids or None in author_ids:
            return "an author of it was not imported"
        rating_id = self.new_id("ratings", item["rating"])
        if rating_id is None:
            return f"its rating {item['rating']} was not imported"
        users = User.objects.in_bulk(author_ids)
        tag_ids = [self.new_id("tags", key) for key in item.get("tags", [])]
        tags = Tag.objects.in_bulk([t for t in tag_ids if t])
        story = actions.story_create(
            authors=[users[a] for a in author_ids],
            title=item["title"],
            rating=Rating.objects.get(pk=rating_id),
            summary=item.get("summary", ""),
            notes=item.get("notes", ""),
            tags=[tags[t] for t in tag_ids if t in tags],
            status=item.get("status", Status.PUBLISHED),
            completed=item.get("completed", False),
            featured=item.get("featured", False),
            language=item.get("language", "en"),
            published_at=from_json_date(item.get("published_at")),
            updated_at=from_json_date(item.get("updated_at")),
            story_id=item["id"],
            archived_at=item.get("archived_at", "")[:500],
            read_count=item.get("read_count", 0),
            challenges=Challenge.objects.filter(
                pk__in=[self.new_id("challenges", c) for c in item.get("challenges", [])]
            ),
        )
        if item.get("word_count") is not None:
            actions.story_set_recorded_counts(
                story=story, word_count=item["word_count"], read_count=item.get("read_count", 0)
            )
        self.record("stories", item["id"], story.pk)

    def chapters(self) -> None:
        """Chapters in bulk, a batch per transaction: the bulk of an archive's bytes."""
        kind, tally = "chapters", self.report.tally("chapters")
        total, done = self.dump.count(kind), 0
        for chunk in _chunks(self.dump.records(kind), self.batch):
            used = set(
                Chapter.objects.filter(pk__in=[c["id"] for c in chunk]).values_list("pk", flat=True)
            )
            now = timezone.now()  # for the chapters whose dates the dump does not give
            new = []
            for item in chunk:
                tally.read += 1
                if str(item["id"]) in self.done[kind]:
                    self.report.skip(kind, item["id"], ALREADY)
                    continue
                story_id = self.new_id("stories", item["story"])
                author_id = self.new_id("members", item.get("author"))
                if story_id is None:
                    self.report.skip(
                        kind, item["id"], f"its story {item['story']} was not imported"
                    )
                    continue
                if item["id"] in used:
                    self.report.skip(kind, item["id"], "its id is taken by another chapter")
                    continue
                if author_id is None:
                    self.report.skip(
                        kind, item["id"], f"its author {item.get('author')} was not imported"
                    )
                    continue
                chapter = Chapter(
                    id=item["id"],
                    story_id=story_id,
                    position=item["position"],
                    title=item.get("title", ""),
                    author_id=author_id,
                    notes=item.get("notes", ""),
                    end_notes=item.get("end_notes", ""),
                    body=item.get("body", ""),
                    status=item.get("status", Status.PUBLISHED),
                    release_at=from_json_date(item.get("release_at")),
                    word_count=item.get("word_count") or 0,
                    created_at=from_json_date(item.get("created_at")) or now,
                    updated_at=from_json_date(item.get("updated_at")) or now,
                )
                new.append(chapter)
            for chapter in new:
                self.record(kind, chapter.pk, chapter.pk)
            with transaction.atomic():
                # The word counts the old archive recorded are kept, like the stories'.
                written = self._all_or_one_by_one(
                    kind, new, lambda rows: actions.chapters_import(chapters=rows, count=False)
                )
                self.changed_after_indexing(
                    {c.story_id for c in new if str(c.pk) in self.done[kind]}
                )
                self.flush()
            tally.imported += written
            done += len(chunk)
            self.progress("loading chapters", done, max(total, done))

    def series(self, item: dict) -> str | None:
        if Series.objects.filter(pk=item["id"]).exists():
            return "its id is taken by another series"
        owner_id = self.new_id("members", item["owner"])
        if owner_id is None:
            return f"its owner {item['owner']} was not imported"
        actions.series_create(
            owner=User.objects.get(pk=owner_id),
            title=item["title"],
            summary=item.get("summary", ""),
            openness=item.get("openness", Series.Openness.CLOSED),
            series_id=item["id"],
        )
        self.record("series", item["id"], item["id"])

    def series_entries(self, series: list[dict]) -> None:
        entries = [
            {"key": f"{s['id']}:{i}", "series": s["id"], **entry}
            for s in series
            for i, entry in enumerate(s.get("entries", []), 1)
        ]
        self.each("series entries", self.series_entry, lambda e: e["key"], records=entries)

    def series_entry(self, item: dict) -> str | None:
        series_id = self.new_id("series", item["series"])
        if series_id is None:
            return f"its series {item['series']} was not imported"
        story_id = self.new_id("stories", item.get("story"))
        sub_id = self.new_id("series", item.get("subseries"))
        if "story" in item and story_id is None:
            return f"its story {item['story']} was not imported"
        if "subseries" in item and sub_id is None:
            return f"its sub-series {item['subseries']} was not imported"
        actions.series_add(
            series=Series.objects.get(pk=series_id),
            story=Story.objects.get(pk=story_id) if story_id else None,
            subseries=Series.objects.get(pk=sub_id) if sub_id else None,
            confirmed=item.get("confirmed", True),
        )
        if story_id:
            self.changed_after_indexing([story_id])
        self.record("series entries", item["key"], None)

    def reviews_bulk(self, items: list[dict]) -> tuple[dict, list[dict]]:
        """Top-level reviews in one go; replies are left to `review`."""
        taken = set(
            Review.objects.filter(pk__in=[i["id"] for i in items]).values_list("pk", flat=True)
        )
        reasons, left, rows = {}, [], []
        for item in items:
            if item.get("parent") is not None:
                left.append(item)
                continue
            story_id = self.new_id("stories", item.get("story"))
            series_id = self.new_id("series", item.get("series"))
            if item["id"] in taken:
                reasons[item["key"]] = "its id is taken by another review"
            elif story_id is None and series_id is None:
                reasons[item["key"]] = "what it reviews was not imported"
            else:
                rows.append(
                    (
                        item,
                        dict(
                            review_id=item["id"],
                            story_id=story_id,
                            series_id=series_id,
                            chapter_id=self.new_id("chapters", item.get("chapter")),
                            user_id=self.new_id("members", item.get("user")),
                            name=item.get("name", ""),
                            body=item.get("body", ""),
                            rating=item.get("rating"),
                            by_author=item.get("by_author", False),
                            hidden=item.get("hidden", False),
                            created_at=from_json_date(item.get("created_at")),
                        ),
                    )
                )
        community.reviews_import(reviews=[values for _, values in rows])
        for item, values in rows:
            self.record("reviews", item["key"], values["review_id"])
        return reasons, left

    def review(self, item: dict) -> str | None:
        if item.get("id") is not None and Review.objects.filter(pk=item["id"]).exists():
            return "its id is taken by another review"
        story_id = self.new_id("stories", item.get("story"))
        series_id = self.new_id("series", item.get("series"))
        if story_id is None and series_id is None:
            return "what it reviews was not imported"
        parent = None
        if item.get("parent") is not None:
            parent_id = self.new_id("reviews", item["parent"])
            if parent_id is None:
                return f"the review it answers ({item['parent']}) was not imported"
            parent = Review.objects.get(pk=parent_id)
        review = community.review_import(
            review_id=item.get("id"),
            story_id=story_id,
            chapter_id=self.new_id("chapters", item.get("chapter")),
            series_id=series_id,
            parent=parent,
            user_id=self.new_id("members", item.get("user")),
            name=item.get("name", ""),
            body=item.get("body", ""),
            rating=item.get("rating"),
            by_author=item.get("by_author", False),
            created_at=from_json_date(item.get("created_at")),
            hidden=item.get("hidden", False),
        )
        self.record("reviews", item["key"], review.pk)

    @staticmethod
    def favourite_key(item: dict) -> str:
        target = next(f for f in ("story", "author", "series") if item.get(f) is not None)
        return f"{item['user']}:{target}:{item[target]}"

    def favourite(self, item: dict) -> str | None:
        user_id = self.new_id("members", item["user"])
        if user_id is None:
            return f"its member {item['user']} was not imported"
        targets = {"story": "stories", "author": "members", "series": "series"}
        field_name = next(f for f in targets if item.get(f) is not None)
        target_id = self.new_id(targets[field_name], item[field_name])
        if target_id is None:
            return f"its {field_name} {item[field_name]} was not imported"
        if "note" in item:
            community.favourite_import(
                user_id=user_id,
                note=item.get("note", ""),
                public=item.get("public", True),
                created_at=from_json_date(item.get("created_at")),
                **{f"{field_name}_id": target_id},
            )
            self.record("favourites", self.favourite_key(item), None)
        else:
            community.subscription_import(
                user_id=user_id,
                created_at=from_json_date(item.get("created_at")),
                **{f"{field_name}_id": target_id},
            )
            self.record("subscriptions", self.favourite_key(item), None)

    def subscription(self, item: dict) -> str | None:
        return self.favourite({k: v for k, v in item.items() if k != "note"})

    def kudos(self, item: dict) -> str | None:
        story_id = self.new_id("stories", item["story"])
        if story_id is None:
            return f"its story {item['story']} was not imported"
        user_id = self.new_id("members", item.get("user"))
        if item.get("user") and user_id is None:
            return f"its member {item['user']} was not imported"
        community.kudos_import(
            story_id=story_id,
            user_id=user_id,
            guest=item.get("guest", ""),
            created_at=from_json_date(item.get("created_at")),
        )
        self.record("kudos", f"{item['story']}:{item.get('user') or item.get('guest')}", None)
