"""Writes to the taxonomy."""

from collections.abc import Iterable

from django.db.models import Max

from fabula.lib.words import tidy_title
from fabula.taxonomy.models import Rating, Tag, TagKind


def tag_number(*, tag: Tag) -> None:
    """Give a tag the next free eFiction-style number of its kind if it has none."""
    if tag.legacy_id is None:
        highest = Tag.objects.filter(kind=tag.kind).aggregate(n=Max("legacy_id"))["n"] or 0
        tag.legacy_id = highest + 1


def tag_get_or_create(*, kind: TagKind, name: str, parent: Tag | None = None) -> Tag:
    """The tag of this kind with this name (ignoring case), made if there is none."""
    name = tidy_title(name)
    tag = Tag.objects.filter(kind=kind, name__iexact=name).first()
    if tag is None:
        tag = Tag(kind=kind, name=name, parent=parent)
        tag_number(tag=tag)
        tag.save()
    return tag


def kind_get_or_create(*, name: str, role: str, legacy_id: int | None = None) -> TagKind:
    """The tag kind with this label, made if there is none (slug = lower-case label).

    `legacy_id` numbers a new class kind for eFiction's links (`type_id=` of browse.php)."""
    from django.utils.text import slugify

    kind = TagKind.objects.filter(name__iexact=name, role=role).first()
    if kind is None:
        kind = TagKind.objects.create(
            name=name, slug=slugify(name) or "kind", role=role, legacy_id=legacy_id
        )
    return kind


def kind_of_role(*, role: str, name: str) -> TagKind:
    """The archive's (first) kind for categories, characters or free-form tags; one named
    `name` is made if the archive has none."""
    kind = TagKind.objects.filter(role=role).order_by("order", "slug").first()
    return kind or kind_get_or_create(name=name, role=role)


def freeform_tags(*, names: Iterable[str]) -> list[Tag]:
    """Free-form tags by name (the archive's free-form kind, made if needed), each made the first
    time a writer uses it, as on AO3."""
    names = list(names)
    if not names:
        return []
    kind = kind_of_role(role=TagKind.Role.FREEFORM, name="Tags")
    return [tag_get_or_create(kind=kind, name=name) for name in names]


def rating_get_or_create(*, name: str, **gates) -> Rating:
    """The rating with this name, made if there is none. A new one takes `gates`: any of
    order, description, registered_only, age_consent, warning, warning_text."""
    rating = Rating.objects.filter(name__iexact=name).first()
    return rating or Rating.objects.create(name=name, **gates)
