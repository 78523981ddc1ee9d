"""What each kind of dump record becomes: one batch writer per kind, in loading order.

Each writer takes a batch of records, writes what it can (through the actions), records every
item it wrote, and returns the reasons it refused the others for. Records with an `id` keep it;
records a one-story dump names without one (`key` only) are found by name, or made with a new
number (`docs/dump-format.md`, "Named records").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify

from fabula.accounts.models import Pseud, User
from fabula.community import actions as community
from fabula.community.models import ReadingList, Review
from fabula.conf.markup import sanitize
from fabula.importers import actions as imports
from fabula.importers.dump import KINDS, from_json_date
from fabula.importers.load.engine import ALREADY, id_or_key
from fabula.importers.load.index import Indexing
from fabula.lib.db import bulk_writing
from fabula.lib.text import invisible_character
from fabula.lib.weblinks import web_address
from fabula.lib.words import normal_pen_name, tidy_title
from fabula.search import indexing
from fabula.stories import actions
from fabula.stories.models import Challenge, Chapter, Series, Status, Story, StoryRelation
from fabula.taxonomy.models import Rating, Tag, TagKind

LEVELS = {"admin": User.Level.ADMIN, "moderator": User.Level.MODERATOR}
UNKNOWN_JOINED = datetime(2000, 1, 1, tzinfo=UTC)  # a member's record without a date


def _taken(model, items: list[dict]) -> set[int]:
    """The ids among `items` that rows of `model` already have."""
    ids = [item["id"] for item in items if item.get("id") is not None]
    return set(model.objects.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


def _favourite_key(item: dict) -> str:
    target = next(f for f in ("story", "author", "series") if item.get(f) is not None)
    return f"{item['user']}:{target}:{item[target]}"


def _gift_key(item: dict) -> str:
    to = f"member:{item['recipient']}" if item.get("recipient") else f"name:{item.get('name')}"
    return f"{item['story']}:{to}"


def _relation_key(item: dict) -> str:
    to = f"story:{item['original']}" if item.get("original") else f"url:{item.get('url')}"
    return f"{item['story']}:{to}"


def _kudos_key(item: dict) -> str:
    return f"{item['story']}:{item.get('user') or item.get('guest')}"


class Loader(Indexing):
    def run(self):
        self.load()
        self.index()
        return self.report

    def load(self):
        """Every kind of the dump, in order; the search index is left to `index`."""
        with indexing.paused(), bulk_writing():
            self.converter_problems()
            self.settings()
            self.each("ratings", self.ratings)
            self.each("tag_kinds", self.tag_kinds)
            self.each("tags", self.tags)
            self.tag_synonyms()
            # Names taken: pen names and pseuds (an imported member's pen name becomes a pseud).
            self.pen_names = set(
                User.objects.annotate(n=Lower("pen_name")).values_list("n", flat=True)
            ) | set(Pseud.objects.annotate(n=Lower("name")).values_list("n", flat=True))
            self.pseud_names: dict[tuple[int, str], str] = {}
            self.each("members", self.members)
            self.each("challenges", self.challenges)
            self.each("stories", self.stories)
            self.each("chapters", self.chapters)
            series = list(self.dump.records("series"))
            self.each("series", self.series, records=series)
            entries = [
                {"key": f"{id_or_key(s)}:{i}", "series": id_or_key(s), **entry}
                for s in series
                for i, entry in enumerate(s.get("entries", []), 1)
            ]
            self.each("series entries", self.series_entries, key=_key, records=entries)
            # Reviews that keep their id first, then replies (new ids, after every kept one).
            kept = (r for r in self.dump.records("reviews") if r.get("id") is not None)
            self.each("reviews", self.reviews, key=_key, records=kept)
            replies = (r for r in self.dump.records("reviews") if r.get("id") is None)
            self.each("reviews", self.reviews, key=_key, records=replies)
            community.reviews_recount(story_ids=self.written("stories"))
            self.each("favourites", self.favourites, key=_favourite_key)
            self.each("kudos", self.kudos, key=_kudos_key)
            self.each("subscriptions", self.subscriptions, key=_favourite_key)
            community.favourites_recount(story_ids=self.written("stories"))
            self.each("gifts", self.gifts, key=_gift_key)
            self.each("relations", self.relations, key=_relation_key)
            self.each("reading_lists", self.reading_lists)
        return self.report

    # --- what the converter said, and the settings ------------------------------------------

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

    # --- taxonomy ---------------------------------------------------------------------------

    def ratings(self, items: list[dict]) -> dict[str, str]:
        """Found by name (ignoring case), else made, with the dump's id while it is free."""
        for item in items:
            rating = Rating.objects.filter(name__iexact=item["name"]).first()
            if rating is None:
                rating_id = item.get("id")
                if rating_id is not None and Rating.objects.filter(pk=rating_id).exists():
                    rating_id = None
                rating = imports.rating_import(
                    rating_id=rating_id,
                    name=item["name"],
                    order=item.get("order", 0),
                    registered_only=item.get("registered_only", False),
                    age_consent=item.get("age_consent", False),
                    warning=item.get("warning", False),
                    warning_text=item.get("warning_text", ""),
                    description=item.get("description", ""),
                )
            self.record("ratings", id_or_key(item), rating.pk)
        return {}

    def tag_kinds(self, items: list[dict]) -> dict[str, str]:
        """Found by legacy id, by slug and role, or (named: no slug) as the archive's kind of
        the role (a class kind: the one of that name); else made."""
        refused = {}
        for item in items:
            role, name = item["role"], item["name"]
            kind = None
            if item.get("legacy_id") is not None:
                kind = TagKind.objects.filter(legacy_id=item["legacy_id"]).first()
            if kind is None and item.get("slug"):
                kind = TagKind.objects.filter(slug=item["slug"], role=role).first()
            if kind is None and not item.get("slug"):
                kinds = TagKind.objects.filter(role=role).order_by("order", "slug")
                if role == TagKind.Role.CLASS:
                    kinds = kinds.filter(name__iexact=name)
                kind = kinds.first()
            if kind is None:
                slug = item.get("slug") or slugify(name) or "kind"
                taken = TagKind.objects.filter(slug=slug).first()
                if taken is not None:
                    refused[str(item["key"])] = (
                        f"the {role} kind {name!r} would need the slug {slug!r}, which the tag "
                        f"kind {taken.name!r} ({taken.role}) already has"
                    )
                    continue
                legacy_id = item.get("legacy_id")
                if legacy_id is None and not item.get("slug") and role == TagKind.Role.CLASS:
                    # A new class kind gets the next eFiction class type number (type_id=).
                    legacy_id = (TagKind.objects.aggregate(n=Max("legacy_id"))["n"] or 0) + 1
                kind = imports.tag_kind_import(
                    slug=slug,
                    name=name,
                    role=role,
                    legacy_id=legacy_id,
                    order=item.get("order", 0),
                    multiple=item.get("multiple", True),
                    required=item.get("required", False),
                )
            self.record("tag_kinds", item["key"], kind.pk)
        return refused

    def tags(self, items: list[dict]) -> dict[str, str]:
        """Found by kind and legacy id, or without one by kind and name; else made."""
        refused = {}
        for item in items:
            kind_id = self.new_id("tag_kinds", item["kind"])
            if kind_id is None:
                refused[str(item["key"])] = f"its kind {item['kind']} was not imported"
                continue
            tags = Tag.objects.filter(kind_id=kind_id)
            if item.get("legacy_id") is not None:
                tag = tags.filter(legacy_id=item["legacy_id"]).first()
            else:
                tag = tags.filter(name__iexact=tidy_title(item["name"])).first()
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
        return refused

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

    # --- members, challenges ----------------------------------------------------------------

    def members(self, items: list[dict]) -> dict[str, str]:
        """Members in bulk (an archive has thousands), ids and password hashes kept; a taken pen
        name gets "(imported ID)". A named member is found by pen name (ignoring case)."""
        taken = _taken(User, items)
        new_ids = self.free_ids(User, sum(item.get("id") is None for item in items))
        refused, rows, names, renamed = {}, [], set(), []
        pseuds: list[Pseud] = []
        for item in items:
            key = id_or_key(item)
            pen_name = normal_pen_name(item["pen_name"])
            if invisible_character(pen_name):
                pen_name = "".join(ch for ch in pen_name if not invisible_character(ch))
            if pen_name != item["pen_name"].strip():
                renamed.append(
                    f"members {key}: pen name {item['pen_name']!r} written as {pen_name!r} "
                    "(invisible or compatibility characters, which login could not match)"
                )
            if item.get("id") is None:
                found = User.objects.filter(pen_name__iexact=pen_name).first()
                if found is not None:
                    self.record("members", key, found.pk)
                    continue
            if item.get("id") in taken:
                refused[str(key)] = "its id is taken by another member"
                continue
            if pen_name.lower() in self.pen_names or pen_name.lower() in names:
                pen_name = f"{pen_name[:45]} (imported {key})"
                renamed.append(
                    f"members {key}: pen name {item['pen_name']!r} is taken; renamed {pen_name!r}"
                )
            names.add(pen_name.lower())
            website = web_address(item.get("website", ""))
            if website is None:
                website = ""
                renamed.append(
                    f"members {key}: website {item['website']!r} is no web address: not kept"
                )
            level = item.get("level", "member")
            rows.append(
                User(
                    id=item["id"] if item.get("id") is not None else next(new_ids),
                    pen_name=pen_name,
                    email=item.get("email", ""),
                    real_name=item.get("real_name", ""),
                    bio=sanitize(item.get("bio", "")),
                    website=website,
                    date_joined=from_json_date(item.get("date_joined")) or UNKNOWN_JOINED,
                    password=item.get("password") or make_password(None),
                    is_active=item.get("is_active", True),
                    level=LEVELS.get(level, User.Level.MEMBER),
                    is_staff=item.get("is_staff", level == "admin"),
                    is_superuser=item.get("is_superuser", level == "admin"),
                    trusted=item.get("trusted", False),
                    age_consent=item.get("age_consent", False),
                    **{f: item[f] for f in ("theme", "text_size", "default_sort") if f in item},
                )
            )
            self.record("members", key, rows[-1].pk)
            pseuds += self._pseuds(key, rows[-1], item, names, renamed)
        imports.members_import(members=rows, pseuds=pseuds)
        self.pen_names |= names  # only once written: a batch written again renames nothing
        self.report.problems += renamed
        return refused

    def _pseuds(
        self, key, member: User, item: dict, names: set[str], renamed: list[str]
    ) -> list[Pseud]:
        """A member's pseuds (dump version 2), or one (older dumps, eFiction): the pen name,
        their default. A name taken by another member gets "(imported KEY)" as a pen name
        does; `pseud_names` remembers it for the stories signed with it."""
        listed = item.get("pseuds") or [{"name": item["pen_name"], "default": True}]
        if not any(p.get("default") for p in listed):
            listed = [{**listed[0], "default": True}, *listed[1:]]
        made, seen_default = [], False
        for entry in listed:
            is_default = bool(entry.get("default")) and not seen_default
            seen_default |= is_default
            name = normal_pen_name(entry["name"])
            if name.lower() == member.pen_name.lower() or (
                is_default and entry["name"] == item["pen_name"]
            ):
                name = member.pen_name  # the pen name, as renamed above if it had to be
            elif name.lower() in self.pen_names or name.lower() in names or not name:
                new = f"{name[:45]} (imported {key})"
                renamed.append(f"members {key}: pseud {entry['name']!r} is taken; renamed {new!r}")
                name = new
            names.add(name.lower())
            self.pseud_names[(member.pk, entry["name"].lower())] = name
            made.append(Pseud(user_id=member.pk, name=name, is_default=is_default))
        return made

    def _signed(self, author_ids: list[int], names: list[str]) -> dict[int, int]:
        """The pseud each author signs with (dump version 2: `pseuds`, names beside `authors`);
        an author without one, or with one not found, signs with their default."""
        found = self._pseud_ids(zip(author_ids, names, strict=False))
        return {
            author_id: found[(author_id, name)]
            for author_id, name in zip(author_ids, names, strict=False)
            if (author_id, name) in found
        }

    def _pseud_ids(self, signed: Iterable[tuple[int | None, str | None]]) -> dict:
        """(member id, pseud name as the dump wrote it) -> that pseud's id, for those found, in
        one query."""
        wanted = {
            (user_id, name): self.pseud_names.get((user_id, name.lower()), name)
            for user_id, name in signed
            if user_id and name
        }
        if not wanted:
            return {}
        ids = {
            (user_id, name): pk
            for pk, user_id, name in Pseud.objects.filter(
                user_id__in={user_id for user_id, _ in wanted}, name__in=set(wanted.values())
            ).values_list("pk", "user_id", "name")
        }
        return {key: ids[(key[0], name)] for key, name in wanted.items() if (key[0], name) in ids}

    def challenges(self, items: list[dict]) -> dict[str, str]:
        """A named challenge is found by title, or made."""
        refused = {}
        for item in items:
            key = id_or_key(item)
            if item.get("id") is None:
                found = Challenge.objects.filter(title=tidy_title(item["title"])).first()
                if found is not None:
                    self.record("challenges", key, found.pk)
                    continue
            elif Challenge.objects.filter(pk=item["id"]).exists():
                refused[str(key)] = "its id is taken by another challenge"
                continue
            owner_id = self.new_id("members", item.get("owner"))
            challenge = imports.challenge_import(
                challenge_id=item.get("id"),
                title=item["title"],
                summary=item.get("summary", ""),
                owner=User.objects.filter(pk=owner_id).first() if owner_id else None,
                challenger=item.get("challenger", ""),
                tags=Tag.objects.filter(
                    pk__in=[self.new_id("tags", t) for t in item.get("tags", [])]
                ),
            )
            self.record("challenges", key, challenge.pk)
        return refused

    # --- stories and chapters ---------------------------------------------------------------

    def stories(self, items: list[dict]) -> dict[str, str]:
        taken = _taken(Story, items)
        new_ids = self.free_ids(Story, sum(item.get("id") is None for item in items))
        refused, prepared = {}, []
        for item in items:
            key = str(id_or_key(item))
            author_ids = [
                pk for pk in (self.new_id("members", a) for a in item["authors"]) if pk is not None
            ]
            rating_id = self.new_id("ratings", item["rating"])
            if item.get("id") in taken:
                refused[key] = "its id is taken by another story"
            elif not author_ids or len(author_ids) < len(item["authors"]):
                refused[key] = "an author of it was not imported"
            elif rating_id is None:
                refused[key] = f"its rating {item['rating']} was not imported"
            else:
                prepared.append(
                    actions.StoryImport(
                        story=Story(
                            id=item["id"] if item.get("id") is not None else next(new_ids),
                            title=item["title"],
                            summary=item.get("summary", ""),
                            notes=item.get("notes", ""),
                            rating_id=rating_id,
                            status=item.get("status", Status.PUBLISHED),
                            completed=item.get("completed", False),
                            reading_only=bool(item.get("reading_only", False)),
                            locked=bool(item.get("locked", False)),
                            unrevealed=bool(item.get("unrevealed", False)),
                            anonymous=bool(item.get("anonymous", False)),
                            featured=item.get("featured", False),
                            language=item.get("language", "en"),
                            published_at=from_json_date(item.get("published_at")),
                            updated_at=from_json_date(item.get("updated_at")),
                            archived_at=item.get("archived_at", "")[:500],
                            word_count=item.get("word_count") or 0,
                            read_count=item.get("read_count", 0),
                            # A backup's, kept (so a restored archive dumps the same bytes).
                            created_at=from_json_date(item.get("created_at")) or timezone.now(),
                        ),
                        author_ids=author_ids,
                        pseud_ids=self._signed(author_ids, item.get("pseuds") or []),
                        tag_ids=[t for t in map(self._tag_id, item.get("tags", [])) if t],
                        challenge_ids=[
                            c for c in map(self._challenge_id, item.get("challenges", [])) if c
                        ],
                    )
                )
                self.record("stories", key, prepared[-1].story.pk)
        actions.stories_import(stories=prepared)
        return refused

    def _tag_id(self, key) -> int | None:
        return self.new_id("tags", key)

    def _challenge_id(self, key) -> int | None:
        return self.new_id("challenges", key)

    def chapters(self, items: list[dict]) -> dict[str, str]:
        """Chapters in bulk, the bulk of an archive's bytes; the word counts the old archive
        recorded are kept, like the stories'."""
        taken = _taken(Chapter, items)
        new_ids = self.free_ids(Chapter, sum(item.get("id") is None for item in items))
        now = timezone.now()  # for the chapters whose dates the dump does not give
        refused, rows = {}, []
        for item in items:
            key = str(id_or_key(item))
            story_id = self.new_id("stories", item["story"])
            author_id = self.new_id("members", item.get("author"))
            if story_id is None:
                refused[key] = f"its story {item['story']} was not imported"
            elif item.get("id") in taken:
                refused[key] = "its id is taken by another chapter"
            elif author_id is None:
                refused[key] = f"its author {item.get('author')} was not imported"
            else:
                rows.append(
                    Chapter(
                        id=item["id"] if item.get("id") is not None else next(new_ids),
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
                )
                self.record("chapters", key, rows[-1].pk)
        actions.chapters_import(chapters=rows, count=False)
        self.changed_after_indexing({row.story_id for row in rows})
        return refused

    # --- series -----------------------------------------------------------------------------

    def series(self, items: list[dict]) -> dict[str, str]:
        """A named series is found by title, or made."""
        refused = {}
        for item in items:
            key = id_or_key(item)
            if item.get("id") is None:
                found = Series.objects.filter(title=tidy_title(item["title"])).first()
                if found is not None:
                    self.record("series", key, found.pk)
                    continue
            elif Series.objects.filter(pk=item["id"]).exists():
                refused[str(key)] = "its id is taken by another series"
                continue
            owner_id = self.new_id("members", item["owner"])
            if owner_id is None:
                refused[str(key)] = f"its owner {item['owner']} was not imported"
                continue
            series = actions.series_create(
                owner=User.objects.get(pk=owner_id),
                title=item["title"],
                summary=item.get("summary", ""),
                openness=item.get("openness", Series.Openness.CLOSED),
                series_id=item.get("id"),
                created_at=from_json_date(item.get("created_at")),
            )
            self.record("series", key, series.pk)
        return refused

    def series_entries(self, items: list[dict]) -> dict[str, str]:
        refused = {}
        for item in items:
            series_id = self.new_id("series", item["series"])
            story_id = self.new_id("stories", item.get("story"))
            sub_id = self.new_id("series", item.get("subseries"))
            if series_id is None:
                refused[str(item["key"])] = f"its series {item['series']} was not imported"
            elif "story" in item and story_id is None:
                refused[str(item["key"])] = f"its story {item['story']} was not imported"
            elif "subseries" in item and sub_id is None:
                refused[str(item["key"])] = f"its sub-series {item['subseries']} was not imported"
            else:
                actions.series_add(
                    series=Series.objects.get(pk=series_id),
                    story=Story.objects.get(pk=story_id) if story_id else None,
                    subseries=Series.objects.get(pk=sub_id) if sub_id else None,
                    confirmed=item.get("confirmed", True),
                )
                if story_id:
                    self.changed_after_indexing([story_id])
                self.record("series entries", item["key"], None)
        return refused

    # --- community --------------------------------------------------------------------------

    def reviews(self, items: list[dict]) -> dict[str, str]:
        """Reviews in bulk; a reply is written once the review it answers is in (in a later
        round of the same batch if that review is in the batch too)."""
        taken = _taken(Review, items)
        refused, waiting = {}, list(items)
        while waiting:
            rows, later = [], []
            for item in waiting:
                story_id = self.new_id("stories", item.get("story"))
                series_id = self.new_id("series", item.get("series"))
                parent_id = self.new_id("reviews", item.get("parent"))
                if item.get("id") in taken:
                    refused[str(item["key"])] = "its id is taken by another review"
                elif story_id is None and series_id is None:
                    refused[str(item["key"])] = "what it reviews was not imported"
                elif item.get("parent") is not None and parent_id is None:
                    later.append(item)
                else:
                    rows.append((item, story_id, series_id, parent_id))
            if not rows:
                break
            new_ids = self.free_ids(Review, sum(item.get("id") is None for item, *_ in rows))
            signed = self._pseud_ids(
                (self.new_id("members", item.get("user")), item.get("pseud")) for item, *_ in rows
            )
            written = community.reviews_import(
                reviews=[
                    dict(
                        review_id=item["id"] if item.get("id") is not None else next(new_ids),
                        story_id=story_id,
                        series_id=series_id,
                        parent_id=parent_id,
                        chapter_id=self.new_id("chapters", item.get("chapter")),
                        user_id=self.new_id("members", item.get("user")),
                        pseud_id=signed.get(
                            (self.new_id("members", item.get("user")), item.get("pseud"))
                        ),
                        name=item.get("name", ""),
                        body=item.get("body", ""),
                        rating=item.get("rating"),
                        by_author=item.get("by_author", False),
                        hidden=item.get("hidden", False),
                        created_at=from_json_date(item.get("created_at")),
                    )
                    for item, story_id, series_id, parent_id in rows
                ]
            )
            for (item, *_), review in zip(rows, written, strict=True):
                self.record("reviews", item["key"], review.pk)
            waiting = later
        for item in waiting:
            refused[str(item["key"])] = f"the review it answers ({item['parent']}) was not imported"
        return refused

    def favourites(self, items: list[dict]) -> dict[str, str]:
        return self._favourites_or_subscriptions("favourites", items)

    def subscriptions(self, items: list[dict]) -> dict[str, str]:
        return self._favourites_or_subscriptions("subscriptions", items)

    def _favourites_or_subscriptions(self, kind: str, items: list[dict]) -> dict[str, str]:
        targets = {"story": "stories", "author": "members", "series": "series"}
        refused = {}
        for item in items:
            key = _favourite_key(item)
            user_id = self.new_id("members", item["user"])
            field_name = next(f for f in targets if item.get(f) is not None)
            target_id = self.new_id(targets[field_name], item[field_name])
            if user_id is None:
                refused[key] = f"its member {item['user']} was not imported"
                continue
            if target_id is None:
                refused[key] = f"its {field_name} {item[field_name]} was not imported"
                continue
            target = {f"{field_name}_id": target_id}
            created_at = from_json_date(item.get("created_at"))
            if kind == "favourites":
                community.favourite_import(
                    user_id=user_id,
                    note=item.get("note", ""),
                    public=item.get("public", True),
                    created_at=created_at,
                    **target,
                )
            else:
                community.subscription_import(user_id=user_id, created_at=created_at, **target)
            self.record(kind, key, None)
        return refused

    def kudos(self, items: list[dict]) -> dict[str, str]:
        refused = {}
        for item in items:
            story_id = self.new_id("stories", item["story"])
            user_id = self.new_id("members", item.get("user"))
            if story_id is None:
                refused[_kudos_key(item)] = f"its story {item['story']} was not imported"
                continue
            if item.get("user") and user_id is None:
                refused[_kudos_key(item)] = f"its member {item['user']} was not imported"
                continue
            community.kudos_import(
                story_id=story_id,
                user_id=user_id,
                guest=item.get("guest", ""),
                created_at=from_json_date(item.get("created_at")),
            )
            self.record("kudos", _kudos_key(item), None)
        return refused

    # --- gifts and related works ------------------------------------------------------------

    def gifts(self, items: list[dict]) -> dict[str, str]:
        refused = {}
        for item in items:
            key = _gift_key(item)
            story_id = self.new_id("stories", item["story"])
            recipient_id = self.new_id("members", item.get("recipient"))
            name = (item.get("name") or "").strip()[:100]
            if story_id is None:
                refused[key] = f"its story {item['story']} was not imported"
            elif item.get("recipient") and recipient_id is None:
                refused[key] = f"its recipient {item['recipient']} was not imported"
            elif recipient_id is None and not name:
                refused[key] = "it names no recipient"
            else:
                imports.gift_import(
                    story_id=story_id,
                    recipient_id=recipient_id,
                    name=name,
                    refused_at=from_json_date(item.get("refused_at")),
                    announced_at=from_json_date(item.get("announced_at")),
                    created_at=from_json_date(item.get("created_at")),
                )
                self.record("gifts", key, None)
        return refused

    def relations(self, items: list[dict]) -> dict[str, str]:
        refused = {}
        for item in items:
            key = _relation_key(item)
            story_id = self.new_id("stories", item["story"])
            original_id = self.new_id("stories", item.get("original"))
            url = None if item.get("original") else web_address(item.get("url", ""))
            if story_id is None:
                refused[key] = f"its story {item['story']} was not imported"
            elif item.get("kind") not in StoryRelation.Kind.values:
                refused[key] = f"its kind {item.get('kind')!r} is not one Fabula knows"
            elif item.get("answer", "waiting") not in StoryRelation.Answer.values:
                refused[key] = f"its answer {item.get('answer')!r} is not one Fabula knows"
            elif item.get("original") and original_id is None:
                refused[key] = f"its original {item['original']} was not imported"
            elif not item.get("original") and not url:
                refused[key] = f"its address {item.get('url')!r} is no web address"
            elif original_id == story_id:
                refused[key] = "it names itself as its original"
            else:
                imports.relation_import(
                    story_id=story_id,
                    kind=item["kind"],
                    original_id=original_id,
                    url=url or "",
                    title=(item.get("title") or "")[:200],
                    answer=item.get("answer", StoryRelation.Answer.WAITING),
                    announced_at=from_json_date(item.get("announced_at")),
                    answered_at=from_json_date(item.get("answered_at")),
                    created_at=from_json_date(item.get("created_at")),
                )
                self.record("relations", key, None)
        return refused

    def reading_lists(self, items: list[dict]) -> dict[str, str]:
        """A list keeps its id while free (its address); an entry whose story was not imported
        is left out, and the report says so."""
        taken = _taken(ReadingList, items)
        refused, left_out = {}, []
        for item in items:
            key = str(id_or_key(item))
            owner_id = self.new_id("members", item.get("owner"))
            if item.get("id") in taken:
                refused[key] = "its id is taken by another reading list"
                continue
            if owner_id is None:
                refused[key] = f"its owner {item.get('owner')} was not imported"
                continue
            entries = []
            for position, entry in enumerate(item.get("entries", [])):
                story_id = self.new_id("stories", entry.get("story"))
                if story_id is None:
                    left_out.append(
                        f"reading_lists {key}: its entry for story {entry.get('story')} was "
                        "left out: that story was not imported"
                    )
                    continue
                entries.append(
                    (
                        story_id,
                        entry.get("position", position),
                        entry.get("note") or "",
                        from_json_date(entry.get("added_at")),
                    )
                )
            reading_list = community.reading_list_import(
                list_id=item.get("id"),
                owner_id=owner_id,
                name=(item.get("name") or "").strip()[:100] or "Reading list",
                public=bool(item.get("public", False)),
                created_at=from_json_date(item.get("created_at")),
                updated_at=from_json_date(item.get("updated_at")),
                entries=entries,
            )
            self.record("reading_lists", key, reading_list.pk)
        self.report.problems += left_out  # once written: a batch written again adds none
        return refused


def _key(item: dict) -> str:
    return item["key"]
