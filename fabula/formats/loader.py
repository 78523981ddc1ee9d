"""Writing a canonical story into the archive, through the actions, all or nothing.

`load_story` is the one way a story read from any format enters the database. In one
transaction it finds or makes what the story names (members by pen name, the rating, tags,
series, challenges), creates the story with its id and dates, adds the chapters in order
without recounting, and keeps the word and read counts the old archive recorded. Any problem
undoes the whole story.

Members made here have no usable password: they claim their account by a password reset.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from fabula.accounts.models import User
from fabula.formats.canonical import CanonicalStory
from fabula.formats.efiction_fields import CATEGORY_PATH_SEPARATOR
from fabula.formats.errors import FormatError
from fabula.stories import actions
from fabula.stories.models import Challenge, Chapter, Series, Story
from fabula.taxonomy import actions as taxonomy
from fabula.taxonomy.models import Rating, Tag, TagKind

# The printable text names no rating; a story without one gets this (made, without any
# reading gate, if the archive has no rating of that name).
DEFAULT_RATING = "Not Rated"


def load_story(
    canonical: CanonicalStory, *, replace: bool = False, default_rating: str = DEFAULT_RATING
) -> Story:
    """Write the story. A story with the same id is refused, or with `replace` deleted first
    (in the same transaction, so a failed load keeps the old story)."""
    _check_lengths(canonical, default_rating)
    with transaction.atomic():
        if canonical.story_id is not None:
            old = Story.objects.filter(pk=canonical.story_id).first()
            if old is not None and not replace:
                raise _problem(
                    canonical,
                    "story_id",
                    f"story {canonical.story_id} (“{old.title}”) is already in the archive; "
                    "use --replace to overwrite it",
                )
            if old is not None:
                actions.story_delete(story=old)
        authors = [_member(name) for name in canonical.authors]
        story = actions.story_create(
            authors=authors,
            title=canonical.title,
            rating=taxonomy.rating_get_or_create(name=canonical.rating or default_rating),
            summary=canonical.summary,
            notes=canonical.notes,
            tags=_tags(canonical),
            status=canonical.status,
            completed=canonical.completed,
            language=canonical.language,
            published_at=canonical.published_at,
            updated_at=canonical.updated_at,
            story_id=canonical.story_id,
            archived_at=canonical.archived_at,
            read_count=canonical.read_count,
            challenges=[_challenge(title) for title in canonical.challenges],
        )
        for title in canonical.series:
            series = Series.objects.filter(title=title).first() or actions.series_create(
                owner=authors[0], title=title
            )
            actions.series_add(series=series, story=story)
        for chapter in canonical.chapters:
            actions.chapter_add(
                story=story,
                title=chapter.title,
                body=chapter.body,
                author=_member(chapter.author) if chapter.author else authors[0],
                notes=chapter.notes,
                end_notes=chapter.end_notes,
                status=chapter.status,
                chapter_id=chapter.chapter_id,
                position=chapter.position,
                recount=False,
            )
        if canonical.word_count is not None:
            actions.story_set_recorded_counts(
                story=story, word_count=canonical.word_count, read_count=canonical.read_count
            )
        else:
            actions.story_recount(story=story)
    story.refresh_from_db()
    return story


def _problem(canonical: CanonicalStory, field: str, message: str) -> FormatError:
    """An error naming the source and, if the reader noted it, the line of `field` (a key of
    CanonicalStory.lines: a field name, or "field:detail" for one item of it)."""
    line = canonical.lines.get(field) or canonical.lines.get(field.partition(":")[0])
    return FormatError(canonical.source or "story", line, message)


def _check_lengths(canonical: CanonicalStory, default_rating: str) -> None:
    """Refuse, with a clear message, what the database would refuse (PostgreSQL) or cut."""
    if not canonical.authors:
        raise _problem(canonical, "title", "the story names no author")
    story, chapters = canonical, canonical.chapters
    checks = [
        # (field for the line number, what it is, the values, the model field that holds them)
        ("title", "title", [story.title], (Story, "title")),
        ("title", "pen name", story.authors, (User, "pen_name")),
        ("story_id", "archived-at address", [story.archived_at], (Story, "archived_at")),
        ("title", "rating", [story.rating or default_rating], (Rating, "name")),
        ("categories", "category", _category_parts(story.categories), (Tag, "name")),
        ("characters", "character", story.characters, (Tag, "name")),
        ("classes", "class kind", list(story.classes), (TagKind, "name")),
        ("classes", "class", [n for names in story.classes.values() for n in names], (Tag, "name")),
        ("freeform", "tag", story.freeform, (Tag, "name")),
        ("series", "series title", story.series, (Series, "title")),
        ("challenges", "challenge title", story.challenges, (Challenge, "title")),
        ("chapters", "chapter title", [c.title for c in chapters], (Chapter, "title")),
        ("chapters", "pen name", [c.author for c in chapters], (User, "pen_name")),
    ]
    for field, what, values, (model, name) in checks:
        limit = model._meta.get_field(name).max_length
        for value in values:
            if len(value) > limit:
                raise _problem(
                    canonical,
                    field,
                    f"the {what} {value[:40]!r}... is longer than {limit} characters",
                )


def _member(pen_name: str) -> User:
    """The member with this pen name (ignoring case), or a new one who cannot log in yet."""
    pen_name = pen_name.strip()
    return User.objects.filter(pen_name__iexact=pen_name).first() or User.objects.create_user(
        pen_name, "", None
    )


def _challenge(title: str) -> Challenge:
    return Challenge.objects.filter(title=title).first() or actions.challenge_create(title=title)


def _tags(canonical: CanonicalStory) -> list[Tag]:
    """The story's tags in print order: categories, characters, classes, free-form tags."""
    tags = []
    category_kind = taxonomy.kind_of_role(role=TagKind.Role.CATEGORY, name="Categories")
    for name in canonical.categories:
        parent = None
        for part in name.split(CATEGORY_PATH_SEPARATOR):  # "Parent > Child": a sub-category
            parent = taxonomy.tag_get_or_create(kind=category_kind, name=part, parent=parent)
        tags.append(parent)
    character_kind = taxonomy.kind_of_role(role=TagKind.Role.CHARACTER, name="Characters")
    tags += [taxonomy.tag_get_or_create(kind=character_kind, name=n) for n in canonical.characters]
    for kind_name, names in canonical.classes.items():
        kind = _class_kind(canonical, kind_name)
        tags += [taxonomy.tag_get_or_create(kind=kind, name=n) for n in names]
    return tags + taxonomy.freeform_tags(names=canonical.freeform)


def _category_parts(names: list[str]) -> list[str]:
    return [part for name in names for part in name.split(CATEGORY_PATH_SEPARATOR)]


def _class_kind(canonical: CanonicalStory, name: str) -> TagKind:
    """The class kind with this title; a new one gets slug = lower-case title and the next
    eFiction class type number."""
    kind = TagKind.objects.filter(name__iexact=name, role=TagKind.Role.CLASS).first()
    if kind is not None:
        return kind
    slug = slugify(name)
    taken = TagKind.objects.filter(slug=slug).first()
    if taken is not None:
        raise _problem(
            canonical,
            f"classes:{name}",
            f"the class kind {name!r} would need the slug {slug!r}, which the tag kind "
            f"{taken.name!r} ({taken.role}) already has",
        )
    number = (TagKind.objects.aggregate(n=Max("legacy_id"))["n"] or 0) + 1
    return taxonomy.kind_get_or_create(name=name, role=TagKind.Role.CLASS, legacy_id=number)
