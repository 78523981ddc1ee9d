"""Stage one of an eFiction import: read an eFiction 3.x database, write Fabula's dump.

Nothing here touches Fabula's database. Everything the converter cannot bring over is written
to the dump's problems, item by item (a missing table, a story whose author is gone, a chapter
file that is absent or undecodable), and the rest goes on. Ids are kept: a story's sid, a
member's uid, a chapter's chapid, a series' seriesid and a review's reviewid become the ids in
Fabula, so old links keep working.

eFiction's traps handled here (NOTES.md §2):
- the table prefix (detected when not given) and the settings table's own prefix;
- dates as DATETIME (official 3.0-3.5.5) or unix integers (later forks), told per column;
- taxonomy as comma lists inside the story row, holding ids or (older sites) names;
- co-authors in `fanfiction_coauthors` (3.4+) or as a comma list in `stories.coauthors`;
- chapter text in the database or in `stories/<uid>/<chapid>.txt`, in any legacy encoding, and
  plain-text chapters (no <p> or <br>) shown by eFiction with a line break for every newline;
- the author's reply appended to a review's text ("Author's Response: ...");
- rating-only reviews stored as the text "No Review".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

from fabula.importers.dump import DumpWriter, to_json_date
from fabula.importers.sources.efiction.tables import DAMAGED, Tables
from fabula.lib.html import escape
from fabula.lib.numbers import whole_number
from fabula.lib.weblinks import web_address
from fabula.lib.words import tidy_title

# The tables a site cannot be imported without; any other missing table is reported, and what
# it held is not imported.
REQUIRED = ("authors", "stories", "chapters")
OPTIONAL = (
    "authorprefs",
    "categories",
    "characters",
    "classtypes",
    "classes",
    "ratings",
    "coauthors",
    "series",
    "inseries",
    "reviews",
    "favorites",
    "messages",
)
# A module's table: its absence means the module was not installed, which is no problem.
MODULES = ("challenges",)

RESPONSE = re.compile(
    r"\s*(?:<br\s*/?>\s*){1,2}<i>\s*Author'?s Response:\s*(?P<response>.*?)\s*</i>\s*$", re.I | re.S
)
NO_REVIEW = "No Review"


class ConversionError(Exception):
    """The source cannot be converted at all (no eFiction tables, a required table missing)."""


@dataclass
class Options:
    prefix: str | None = None
    stories_dir: Path | None = None
    encoding: str | None = None


def convert(
    tables: Tables,
    writer: DumpWriter,
    options: Options | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> None:
    """Read the whole eFiction site from `tables` and write it to `writer`."""
    for reason in tables.damage():
        writer.problem("source", None, reason, damage=True)
    Converter(tables, writer, options or Options(), progress).run()


def detect_prefix(names: set[str]) -> str:
    """The table prefix: what comes before `fanfiction_stories`."""
    found = sorted(
        name[: -len("fanfiction_stories")] for name in names if name.endswith("fanfiction_stories")
    )
    if not found:
        raise ConversionError("no fanfiction_stories table: this is not an eFiction database")
    if len(found) > 1:
        listed = ", ".join(repr(p) for p in found)
        raise ConversionError(
            f"several eFiction sites share this database (prefixes {listed}); give --prefix"
        )
    return found[0]


def split_site_url(url: str) -> tuple[str, str]:
    """eFiction's `url` setting -> (Fabula's site_url, legacy_prefix): the folder it lived in
    becomes the prefix under which its old links keep working."""
    url = (url or "").strip().rstrip("/")
    if not url:
        return "", ""
    if "://" not in url:
        url = "http://" + url
    parts = urlparse(url)
    return f"{parts.scheme}://{parts.netloc}", parts.path.strip("/")


# 9999-12-31 23:59:59 UTC: the last second a datetime holds. A larger "time" is a damaged row.
LAST_UNIX_TIME = 253_402_300_799


def _unix_time(seconds: int) -> datetime | None:
    """eFiction's unix times: 0 (or less) meant "never"; past year 9999 is no date at all."""
    return datetime.fromtimestamp(seconds, UTC) if 0 < seconds <= LAST_UNIX_TIME else None


def to_date(value, column_type: str) -> datetime | None:
    """A DATETIME (server time, taken as UTC) or a unix integer, told by the column's type."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if column_type in ("int", "bigint", "mediumint", "integer") or isinstance(value, int | float):
        return _unix_time(int(value))
    text = str(value).strip()
    seconds = whole_number(text)
    if seconds is not None:
        return _unix_time(seconds)
    if text.startswith("0000"):
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    except ValueError:
        return None


def as_int(value, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def chapter_html(text: str) -> str:
    """Chapter text as eFiction showed it. Text without <p> or <br> is plain text, where eFiction
    put a line break for every newline: Fabula makes paragraphs of what blank lines part, and a
    line break of a lone newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if re.search(r"<p[\s>]|<br\s*/?>", text, re.I):
        return text
    has_markup = "<" in text
    paragraphs = [p.strip("\n") for p in re.split(r"\n[ \t]*\n", text.strip()) if p.strip()]
    return "\n".join(
        "<p>" + (p if has_markup else escape(p)).replace("\n", "<br />\n") + "</p>"
        for p in paragraphs
    )


def split_response(review: str) -> tuple[str, str]:
    """(the review, the author's response appended to it by eFiction, or "")."""
    match = RESPONSE.search(review)
    if match is None:
        return review, ""
    return review[: match.start()], match.group("response")


def decode(data: bytes, encoding: str | None) -> str:
    """Text of a chapter file: in the given encoding, else UTF-8, else Windows-1252."""
    if encoding:
        return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


class Converter:
    def __init__(self, tables: Tables, writer: DumpWriter, options: Options, progress=None):
        self.tables = tables
        self.out = writer
        self.options = options
        self.progress = progress or (lambda kind, done, total: None)
        names = tables.names()
        self.prefix = options.prefix if options.prefix is not None else detect_prefix(names)
        self.present = {
            name[len(self.prefix) + len("fanfiction_") :]
            for name in names
            if name.startswith(self.prefix + "fanfiction_")
        }
        for table in REQUIRED:
            if table not in self.present:
                raise ConversionError(
                    f"the table {self.table(table)} is missing; nothing can be imported"
                )
        self.members: dict[int, str] = {}
        self.stories: dict[int, int] = {}  # sid -> main author uid
        self.series: set[int] = set()
        self.chapters: set[int] = set()
        self.tags: dict[str, dict[str, str]] = {}  # "category" -> {number or lower name -> key}
        self.ratings: set[int] = set()
        self.challenges: set[int] = set()

    # --- reading -------------------------------------------------------------------------

    def table(self, name: str) -> str:
        return f"{self.prefix}fanfiction_{name}"

    def rows(self, name: str, kind: str) -> Iterator[dict]:
        """The rows of a table; a missing table is reported once and gives no rows."""
        if name not in self.present:
            if name not in MODULES:
                self.out.problem(
                    kind, None, f"the table {self.table(name)} is missing: no {kind} imported"
                )
            return
        for row in self.tables.rows(self.table(name)):
            if DAMAGED in row:
                self.out.saw(kind)
                self.out.problem(
                    kind, None, f"a damaged row in {self.table(name)}: {row[DAMAGED]}", damage=True
                )
                continue
            yield row

    def column_type(self, name: str, column: str) -> str:
        if name not in self.present:
            return ""
        return self.tables.columns(self.table(name)).get(column, "")

    def date_reader(self, name: str, column: str) -> Callable[[object], str | None]:
        kind = self.column_type(name, column)
        return lambda value: to_json_date(to_date(value, kind))

    # --- the whole site ------------------------------------------------------------------

    def run(self) -> None:
        self.settings_()
        self.ratings_()
        self.taxonomy()
        self.members_()
        self.challenges_()
        self.stories_()
        self.chapters_()
        self.series_()
        self.reviews_()
        self.favourites()

    def settings_(self) -> None:
        rows = []
        if "settings" in self.present:
            rows = list(self.tables.rows(self.table("settings")))
        else:
            # The settings table has a prefix of its own ($settingsprefix in config.php).
            candidates = [n for n in self.tables.names() if n.endswith("fanfiction_settings")]
            for name in candidates:
                rows += list(self.tables.rows(name))
        rows = [r for r in rows if DAMAGED not in r]
        row = next(
            (r for r in rows if as_text(r.get("tableprefix")) == self.prefix),
            rows[0] if rows else None,
        )
        self.out.saw("settings")
        if row is None:
            self.out.problem(
                "settings", None, "no fanfiction_settings row: the site's settings are not imported"
            )
            return
        self.store_files = as_text(row.get("store")).lower() == "files"
        site_url, legacy_prefix = split_site_url(as_text(row.get("url")))
        date_format = as_text(row.get("dateformat")) or "F d, Y"
        messages = {
            as_text(m.get("message_name")): as_text(m.get("message_text"))
            for m in self.rows("messages", "settings")
        }
        self.out.settings = {
            "site_name": as_text(row.get("sitename"))[:100],
            "slogan": as_text(row.get("slogan"))[:200],
            "site_url": site_url,
            "legacy_prefix": legacy_prefix,
            "date_format": date_format,
            "time_format": as_text(row.get("timeformat")),
            "items_per_page": max(1, as_int(row.get("itemsperpage"), 25)),
            "extend_categories": bool(as_int(row.get("extendcats"))),
            "new_story_days": as_int(row.get("recentdays"), 7),
            "reviews_allowed": bool(as_int(row.get("reviewsallowed"), 1)),
            "anonymous_reviews": bool(as_int(row.get("anonreviews"))),
            "review_ratings": {0: "none", 2: "like"}.get(as_int(row.get("ratings"), 1), "stars"),
            "authors_delete_reviews": bool(as_int(row.get("revdelete"))),
            "auto_validate": bool(as_int(row.get("autovalidate"))),
            "submissions_open": not as_int(row.get("submissionsoff")),
            "welcome": messages.get("welcome", ""),
            "footer": messages.get("copyright", ""),
            "printer_copyright": messages.get("printercopyright", ""),
            "terms": messages.get("tos", ""),
            # Kept for the record: options Fabula has no setting for yet.
            "efiction": {
                key: as_text(row.get(key))
                for key in (
                    "sitekey",
                    "version",
                    "ratings",
                    "rateonly",
                    "favorites",
                    "agestatement",
                    "multiplecats",
                    "coauthallowed",
                    "roundrobins",
                    "allowseries",
                    "store",
                    "storiespath",
                    "language",
                    "defaultsort",
                    "displayindex",
                    "siteemail",
                )
            },
        }
        self.out.source = f"efiction:{as_text(row.get('sitekey')) or 'site'}:{self.prefix}"

    def ratings_(self) -> None:
        for row in self.rows("ratings", "ratings"):
            self.out.saw("ratings")
            rid, mask = as_int(row.get("rid")), as_int(row.get("ratingwarning"))
            self.ratings.add(rid)
            self.out.add(
                "ratings",
                {
                    "id": rid,
                    "name": as_text(row.get("rating"))[:40],
                    "order": rid,
                    "registered_only": bool(mask & 4),
                    "age_consent": bool(mask & 2),
                    "warning": bool(mask & 1),
                    "warning_text": as_text(row.get("warningtext")),
                },
            )

    def _tag(self, role: str, number: int, name: str, record: dict) -> None:
        key = f"{role}:{number}"
        names = self.tags.setdefault(role, {})
        names[str(number)] = key
        names.setdefault(name.strip().lower(), key)
        self.out.add(
            "tags", {"key": key, "legacy_id": number, "name": name.strip()[:100], **record}
        )

    def taxonomy(self) -> None:
        self.out.saw("tag_kinds", 2)  # the categories and characters tables
        self.out.add(
            "tag_kinds",
            {
                "key": "category",
                "slug": "categories",
                "name": "Categories",
                "role": "category",
                "legacy_id": None,
                "order": 0,
            },
        )
        self.out.add(
            "tag_kinds",
            {
                "key": "character",
                "slug": "characters",
                "name": "Characters",
                "role": "character",
                "legacy_id": None,
                "order": 1,
            },
        )
        categories = sorted(
            self.rows("categories", "tags"),
            key=lambda r: (as_int(r.get("leveldown")), as_int(r.get("catid"))),
        )
        for row in categories:  # parents first
            self.out.saw("tags")
            parent = as_int(row.get("parentcatid"), -1)
            self._tag(
                "category",
                as_int(row.get("catid")),
                as_text(row.get("category")),
                {
                    "kind": "category",
                    "parent": f"category:{parent}" if parent > 0 else None,
                    "description": as_text(row.get("description")),
                    "locked": as_int(row.get("locked")) == 1,
                    "order": as_int(row.get("displayorder")),
                },
            )
        for row in self.rows("characters", "tags"):
            self.out.saw("tags")
            category = as_int(row.get("catid"), -1)
            self._tag(
                "character",
                as_int(row.get("charid")),
                as_text(row.get("charname")),
                {
                    "kind": "character",
                    "parent": f"category:{category}" if category > 0 else None,
                    "description": as_text(row.get("bio")),
                    "locked": False,
                    "order": 0,
                },
            )
        kinds = {}
        for order, row in enumerate(self.rows("classtypes", "tag_kinds"), 2):
            self.out.saw("tag_kinds")
            number = as_int(row.get("classtype_id"))
            slug = re.sub(r"[^a-z0-9_-]+", "-", as_text(row.get("classtype_name")).lower()).strip(
                "-"
            )
            kinds[number] = f"class:{number}"
            self.out.add(
                "tag_kinds",
                {
                    "key": f"class:{number}",
                    "slug": slug or f"class-{number}",
                    "name": as_text(row.get("classtype_title"))[:60] or slug,
                    "role": "class",
                    "legacy_id": number,
                    "order": order,
                },
            )
        for row in self.rows("classes", "tags"):
            self.out.saw("tags")
            number, kind = as_int(row.get("class_id")), as_int(row.get("class_type"))
            if kind not in kinds:
                self.out.problem("tags", f"class {number}", f"its class type {kind} does not exist")
                continue
            self._tag(
                "class",
                number,
                as_text(row.get("class_name")),
                {
                    "kind": kinds[kind],
                    "parent": None,
                    "description": "",
                    "locked": False,
                    "order": 0,
                },
            )

    def members_(self) -> None:
        prefs = {as_int(r.get("uid")): r for r in self.rows("authorprefs", "members")}
        websites = self._profile_websites()
        joined = self.date_reader("authors", "date")
        taken: set[str] = set()
        for row in self.rows("authors", "members"):
            self.out.saw("members")
            uid = as_int(row.get("uid"))
            pen_name = tidy_title(as_text(row.get("penname")))[:60] or f"Member {uid}"
            if pen_name.lower() in taken:
                renamed = f"{pen_name[:48]} (uid {uid})"
                self.out.problem(
                    "members",
                    uid,
                    f"pen name {pen_name!r} is taken (ignoring case); imported as {renamed!r}",
                )
                pen_name = renamed
            taken.add(pen_name.lower())
            pref = prefs.get(uid, {})
            level = as_int(pref.get("level"))
            password = as_text(row.get("password")).strip().lower()
            website = as_text(row.get("website")).strip() or websites.get(uid, "")
            if len(website) > 200 or web_address(website) is None:
                self.out.problem(
                    "members", uid, f"website {website[:200]!r} is no web address: not kept"
                )
                website = ""
            self.members[uid] = pen_name
            self.out.add(
                "members",
                {
                    "id": uid,
                    "pen_name": pen_name,
                    "real_name": as_text(row.get("realname"))[:100],
                    "email": as_text(row.get("email"))[:254],
                    "bio": as_text(row.get("bio")),
                    "website": website,
                    "date_joined": joined(row.get("date")),
                    # eFiction's unsalted MD5, kept; Django upgrades it at the first login.
                    "password": f"efiction_md5${password}"
                    if re.fullmatch(r"[0-9a-f]{32}", password)
                    else "",
                    "is_active": level >= 0,
                    "level": "admin" if level == 1 else "moderator" if level > 1 else "member",
                    "trusted": bool(as_int(pref.get("validated"))),
                    "age_consent": bool(as_int(pref.get("ageconsent"))),
                },
            )

    def _profile_websites(self) -> dict[int, str]:
        """Members' web sites, from the admin-defined profile field named `website` (3.x keeps
        them in authorinfo); values of the other profile fields have no place in Fabula."""
        if "authorfields" not in self.present or "authorinfo" not in self.present:
            return {}
        fields = {
            as_int(f.get("field_id")): as_text(f.get("field_name"))
            for f in self.rows("authorfields", "members")
        }
        websites: dict[int, str] = {}
        dropped: defaultdict[str, int] = defaultdict(int)
        for row in self.rows("authorinfo", "members"):
            name = fields.get(as_int(row.get("field")), "")
            if name.lower() == "website":
                websites[as_int(row.get("uid"))] = as_text(row.get("info")).strip()
            elif as_text(row.get("info")).strip():
                dropped[name] += 1
        for name, count in dropped.items():
            self.out.problem(
                "members",
                None,
                f"{count} values of the profile field {name!r}: "
                "not imported (no such field in Fabula)",
            )
        return websites

    def _tag_list(self, value, role: str, story: int, kind: str) -> list[str]:
        """The tag keys of a comma list of ids or names; '' and '0' mean none."""
        keys = []
        known = self.tags.get(role, {})
        for part in as_text(value).split(","):
            part = part.strip()
            if not part or part == "0":
                continue
            key = known.get(part) or known.get(part.lower())
            if key is None:
                self.out.problem(
                    kind, story, f"names {role} {part!r}, which does not exist: left out"
                )
            elif key not in keys:
                keys.append(key)
        return keys

    def challenges_(self) -> None:
        for row in self.rows("challenges", "challenges"):
            self.out.saw("challenges")
            number = as_int(row.get("chalid"))
            owner = as_int(row.get("uid"))
            self.challenges.add(number)
            self.out.add(
                "challenges",
                {
                    "id": number,
                    "title": as_text(row.get("title"))[:200],
                    "summary": as_text(row.get("summary")),
                    "owner": owner if owner in self.members else None,
                    "challenger": as_text(row.get("challenger"))[:100],
                    "tags": self._tag_list(row.get("catid"), "category", number, "challenges")
                    + self._tag_list(row.get("characters"), "character", number, "challenges"),
                },
            )

    def stories_(self) -> None:
        coauthors: dict[int, list[int]] = defaultdict(list)
        for row in self.rows("coauthors", "stories") if "coauthors" in self.present else ():
            coauthors[as_int(row.get("sid"))].append(as_int(row.get("uid")))
        published = self.date_reader("stories", "date")
        updated = self.date_reader("stories", "updated")
        settings = self.out.settings
        root = (
            f"{settings.get('site_url', '')}/{settings['legacy_prefix']}"
            if settings.get("legacy_prefix")
            else settings.get("site_url", "")
        )
        for row in self.rows("stories", "stories"):
            self.out.saw("stories")
            sid, uid = as_int(row.get("sid")), as_int(row.get("uid"))
            if uid not in self.members:
                self.out.problem(
                    "stories", sid, f"its author uid {uid} does not exist: story not imported"
                )
                continue
            rid = as_int(row.get("rid"))
            if rid not in self.ratings:
                self.out.problem(
                    "stories",
                    sid,
                    f"its rating {row.get('rid')!r} does not exist: story not imported",
                )
                continue
            others = coauthors.get(sid, [])
            listed = as_text(row.get("coauthors"))
            if "coauthors" not in self.present and listed not in ("", "0"):
                # Before 3.4 the column held the co-authors' uids; since, a flag beside the table.
                others = [as_int(p) for p in listed.split(",") if p.strip().isdigit()]
            authors = [uid]
            for other in others:
                if other in self.members and other not in authors:
                    authors.append(other)
                elif other not in self.members:
                    self.out.problem(
                        "stories", sid, f"co-author uid {other} does not exist: left out"
                    )
            tags = (
                self._tag_list(row.get("catid"), "category", sid, "stories")
                + self._tag_list(row.get("charid"), "character", sid, "stories")
                + self._tag_list(row.get("classes"), "class", sid, "stories")
            )
            challenges = [
                as_int(p)
                for p in as_text(row.get("challenges")).split(",")
                if p.strip().isdigit() and as_int(p) in self.challenges
            ]
            self.stories[sid] = uid
            self.out.add(
                "stories",
                {
                    "id": sid,
                    "title": tidy_title(as_text(row.get("title")))[:200] or f"Story {sid}",
                    "summary": as_text(row.get("summary")),
                    "notes": as_text(row.get("storynotes")),
                    "rating": rid,
                    "authors": authors,
                    "tags": tags,
                    "status": "published" if as_int(row.get("validated")) > 0 else "pending",
                    "completed": as_int(row.get("completed")) == 1,
                    "featured": as_int(row.get("featured")) == 1,
                    "published_at": published(row.get("date")),
                    "updated_at": updated(row.get("updated")),
                    "word_count": as_int(row.get("wordcount")),
                    "read_count": max(0, as_int(row.get("count"))),
                    "archived_at": f"{root}/viewstory.php?sid={sid}" if root else "",
                    "challenges": challenges,
                },
            )

    def _chapter_text(self, row: dict) -> str | None:
        text = as_text(row.get("storytext"))
        if text.strip() or not (self.options.stories_dir or getattr(self, "store_files", False)):
            return text
        chapid, uid = as_int(row.get("chapid")), as_int(row.get("uid"))
        if self.options.stories_dir is None:
            self.out.problem(
                "chapters", chapid, "its text is in the site's stories/ folder: give --stories-dir"
            )
            return None
        path = self.options.stories_dir / str(uid) / f"{chapid}.txt"
        try:
            data = path.read_bytes()
        except OSError as error:
            self.out.problem(
                "chapters",
                chapid,
                f"its file {path} cannot be read ({error.strerror}): chapter not imported",
            )
            return None
        try:
            return decode(data, self.options.encoding)
        except (UnicodeDecodeError, LookupError) as error:
            self.out.problem(
                "chapters",
                chapid,
                f"its file {path} is not {self.options.encoding or 'UTF-8 or Windows-1252'} "
                f"text ({error}): chapter not imported",
            )
            return None

    def chapters_(self) -> None:
        positions: dict[int, set[int]] = defaultdict(set)
        rows = sorted(
            self.rows("chapters", "chapters"),
            key=lambda r: (as_int(r.get("sid")), as_int(r.get("inorder")), as_int(r.get("chapid"))),
        )
        total = len(rows)
        for done, row in enumerate(rows, 1):
            if done % 500 == 0 or done == total:
                self.progress("converting chapters", done, total)
            self.out.saw("chapters")
            chapid, sid, uid = (
                as_int(row.get("chapid")),
                as_int(row.get("sid")),
                as_int(row.get("uid")),
            )
            if sid not in self.stories:
                self.out.problem("chapters", chapid, f"its story {sid} was not imported")
                continue
            if uid not in self.members:
                self.out.problem(
                    "chapters",
                    chapid,
                    f"its author uid {uid} does not exist: credited to the story's author",
                )
                uid = self.stories[sid]
            text = self._chapter_text(row)
            if text is None:
                continue
            position = max(1, as_int(row.get("inorder"), 1))
            if position in positions[sid]:
                moved = max(positions[sid]) + 1
                self.out.problem(
                    "chapters", chapid, f"shares place {position} in story {sid}: moved to {moved}"
                )
                position = moved
            positions[sid].add(position)
            self.chapters.add(chapid)
            self.out.add(
                "chapters",
                {
                    "id": chapid,
                    "story": sid,
                    "position": position,
                    "title": tidy_title(as_text(row.get("title")))[:200],
                    "author": uid,
                    "notes": as_text(row.get("notes")),
                    "end_notes": as_text(row.get("endnotes")),
                    "body": chapter_html(text),
                    "status": "published" if as_int(row.get("validated")) > 0 else "pending",
                    "word_count": as_int(row.get("wordcount")),
                },
            )

    def series_(self) -> None:
        entries: dict[int, list[dict]] = defaultdict(list)
        for row in self.rows("inseries", "series entries"):
            entries[as_int(row.get("seriesid"))].append(row)
        rows = list(self.rows("series", "series"))
        numbers = {as_int(r.get("seriesid")) for r in rows}
        for row in rows:
            self.out.saw("series")
            number, owner = as_int(row.get("seriesid")), as_int(row.get("uid"))
            if owner not in self.members:
                self.out.problem(
                    "series", number, f"its owner uid {owner} does not exist: series not imported"
                )
                continue
            self.series.add(number)
            places = []
            for entry in sorted(entries.get(number, []), key=lambda r: as_int(r.get("inorder"))):
                story, sub = as_int(entry.get("sid")), as_int(entry.get("subseriesid"))
                confirmed = as_int(entry.get("confirmed")) == 1
                if sub:
                    if sub in numbers and sub != number:
                        places.append({"subseries": sub, "confirmed": confirmed})
                    else:
                        self.out.problem(
                            "series", number, f"holds series {sub}, which does not exist: left out"
                        )
                elif story in self.stories:
                    places.append({"story": story, "confirmed": confirmed})
                else:
                    self.out.problem(
                        "series", number, f"holds story {story}, which was not imported: left out"
                    )
            self.out.add(
                "series",
                {
                    "id": number,
                    "title": tidy_title(as_text(row.get("title")))[:200] or f"Series {number}",
                    "summary": as_text(row.get("summary")),
                    "owner": owner,
                    "openness": {0: "closed", 1: "moderated"}.get(
                        as_int(row.get("isopen")), "open"
                    ),
                    "entries": places,
                },
            )
        # A place may still name a sub-series dropped above for its missing owner: the loader
        # skips such a place and reports it ("its sub-series N was not imported").

    def reviews_(self) -> None:
        when = self.date_reader("reviews", "date")
        for row in self.rows("reviews", "reviews"):
            self.out.saw("reviews")
            number, kind, item = (
                as_int(row.get("reviewid")),
                as_text(row.get("type")),
                as_int(row.get("item")),
            )
            record = {
                "key": str(number),
                "id": number,
                "story": None,
                "chapter": None,
                "series": None,
                "parent": None,
            }
            if kind == "ST":
                if item not in self.stories:
                    self.out.problem(
                        "reviews", number, f"reviews story {item}, which was not imported"
                    )
                    continue
                chapter = as_int(row.get("chapid"))
                record.update(story=item, chapter=chapter if chapter in self.chapters else None)
            elif kind == "SE":
                if item not in self.series:
                    self.out.problem(
                        "reviews", number, f"reviews series {item}, which was not imported"
                    )
                    continue
                record["series"] = item
            else:
                self.out.problem(
                    "reviews", number, f"a review of type {kind!r} (a module's): not imported"
                )
                continue
            uid = as_int(row.get("uid"))
            if uid and uid not in self.members:
                self.out.problem(
                    "reviews",
                    number,
                    f"its reviewer uid {uid} does not exist: kept as a guest's review",
                )
                uid = 0
            text, response = split_response(as_text(row.get("review")))
            rating = as_int(row.get("rating"), -1)
            record.update(
                user=uid or None,
                name=as_text(row.get("reviewer"))[:100],
                body="" if text.strip() == NO_REVIEW else text,
                rating=rating if rating >= 0 else None,
                by_author=False,
                created_at=when(row.get("date")),
            )
            self.out.add("reviews", record)
            if response:
                author = self.stories[item] if kind == "ST" else None
                self.out.add(
                    "reviews",
                    {
                        **record,
                        "key": f"{number}/response",
                        "id": None,
                        "parent": str(number),
                        "user": author,
                        "name": "" if author is None else self.members.get(author, ""),
                        "body": response,
                        "rating": None,
                        "by_author": True,
                    },
                )

    def favourites(self) -> None:
        targets: dict[str, tuple[str, Container[int]]] = {
            "ST": ("story", self.stories),
            "AU": ("author", self.members),
            "SE": ("series", self.series),
        }
        for row in self.rows("favorites", "favourites"):
            self.out.saw("favourites")
            uid, item, kind = (
                as_int(row.get("uid")),
                as_int(row.get("item")),
                as_text(row.get("type")),
            )
            label = f"uid {uid} {kind} {item}"
            if uid not in self.members:
                self.out.problem("favourites", label, f"its member uid {uid} does not exist")
                continue
            if kind not in targets:
                self.out.problem("favourites", label, f"a favourite of type {kind!r}: not imported")
                continue
            field, known = targets[kind]
            if item not in known:
                self.out.problem("favourites", label, f"its {field} {item} was not imported")
                continue
            self.out.add(
                "favourites", {"user": uid, field: item, "note": as_text(row.get("comments"))}
            )
