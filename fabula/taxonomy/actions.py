"""Writes to the taxonomy, wrangling among them.

Wrangling (`tag_make_canonical`, `tag_make_synonym`, `tag_set_parent`, `tag_rename`; merging,
which moves stories, is `stories.actions.tag_merge`) checks its input and refuses with a
message meant for the wrangler, changing nothing; what it does it writes to the audit log, and
it names every tag whose meaning it touched (`changed(tags=...)`), so the search index files the
stories under them again when the transaction commits and cached pages are retired at once.
"""

from collections.abc import Iterable
from typing import cast

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from fabula.audit.actions import audit_record
from fabula.lib.changes import changed
from fabula.lib.refusals import ActionRefused
from fabula.lib.words import tidy_title
from fabula.taxonomy.models import Rating, Tag, TagKind
from fabula.taxonomy.selectors import tag_meanings

NAME_LENGTH = cast(int, Tag._meta.get_field("name").max_length)


def tag_number(*, tag: Tag) -> None:
    """Give a tag the next free eFiction-style number of its kind if it has none."""
    if tag.legacy_id is None:
        highest = Tag.objects.filter(kind=tag.kind).aggregate(n=Max("legacy_id"))["n"] or 0
        tag.legacy_id = highest + 1


def tag_get_or_create(
    *, kind: TagKind, name: str, parent: Tag | None = None, wrangled: bool = True
) -> Tag:
    """The tag of this kind with this name (ignoring case), made if there is none (waiting for
    the wranglers unless `wrangled`)."""
    name = tidy_title(name)
    tag = Tag.objects.filter(kind=kind, name__iexact=name).first()
    if tag is None:
        tag = Tag(kind=kind, name=name, parent=parent, wrangled=wrangled)
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
    time a writer uses it, as on AO3, and waiting in the wranglers' queue."""
    names = list(names)
    if not names:
        return []
    kind = kind_of_role(role=TagKind.Role.FREEFORM, name="Tags")
    return [tag_get_or_create(kind=kind, name=name, wrangled=False) for name in names]


def rating_get_or_create(*, name: str, **gates) -> Rating:
    """The rating with this name, made if there is none. A new one takes `gates`: any of
    order, description, registered_only, age_consent, warning, warning_text."""
    rating = Rating.objects.filter(name__iexact=name).first()
    return rating or Rating.objects.create(name=name, **gates)


# ---------------------------------------------------------------------------------------------
# Wrangling


def _meaning_of(*tags: Tag | None) -> set[int]:
    """Every tag counting as these (their synonyms, sub-tags): whose stories a change touches."""
    ids = [tag.pk for tag in tags if tag is not None]
    return set().union(*tag_meanings(ids).values()) if ids else set()


def _is_below(tag: Tag, top: Tag) -> bool:
    """Is `tag` under `top` (or `top` itself), following parents of any kind?"""
    seen: set[int] = set()
    current: int | None = tag.pk
    while current is not None and current not in seen:
        if current == top.pk:
            return True
        seen.add(current)
        current = Tag.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return False


def synonym_refusal(*, tag: Tag, of: Tag) -> str:
    """Why `tag` cannot become a synonym of `of` (or be merged into it); "" when it can."""
    if tag.pk == of.pk:
        return f"“{tag}” cannot be a synonym of itself, nor merged into itself."
    if tag.kind_id != of.kind_id:
        return (
            f"“{tag}” is one of the {tag.kind}, “{of}” of the {of.kind}: both must be of one kind."
        )
    if of.synonym_of_id is not None:
        canonical = of.synonym_of
        return f"“{of}” is itself a synonym of “{canonical}”: choose “{canonical}”."
    if _is_below(of, tag):
        return f"“{of}” is below “{tag}”: give “{of}” another parent first."
    return ""


def join_as_synonym(*, tag: Tag, of: Tag) -> None:
    """`tag` becomes a synonym of `of` (checked by `synonym_refusal`): its own synonyms and its
    children go to `of`, and a synonym has no parent of its own. Names the tags touched."""
    touched = _meaning_of(tag, of, tag.synonym_of)
    Tag.objects.filter(synonym_of=tag).update(synonym_of=of)
    Tag.objects.filter(parent=tag).update(parent=of)
    tag.synonym_of, tag.parent, tag.wrangled = of, None, True
    tag.save(update_fields=["synonym_of", "parent", "wrangled"])
    if not of.wrangled:
        of.wrangled = True
        of.save(update_fields=["wrangled"])
    changed(tags=touched | _meaning_of(of))


def tag_make_synonym(*, tag: Tag, of: Tag, by) -> Tag:
    """`tag` becomes a synonym of the canonical tag `of`: everything filed under it counts as
    `of` everywhere from the commit on."""
    refusal = synonym_refusal(tag=tag, of=of)
    if not refusal and tag.synonym_of_id == of.pk:
        refusal = f"“{tag}” is already a synonym of “{of}”."
    if refusal:
        raise ActionRefused(refusal)
    with transaction.atomic():
        join_as_synonym(tag=tag, of=of)
        audit_record(by=by, action="tag-synonym", target=tag, reason=f"a synonym of “{of}”")
    return tag


def tag_make_canonical(*, tag: Tag, by) -> Tag:
    """An unwrangled tag (or a synonym, taken out of its canonical tag) becomes canonical."""
    if tag.canonical:
        raise ActionRefused(_("“%(tag)s” is already canonical.") % {"tag": tag})
    with transaction.atomic():
        touched = _meaning_of(tag, tag.synonym_of)
        tag.synonym_of, tag.wrangled = None, True
        tag.save(update_fields=["synonym_of", "wrangled"])
        audit_record(by=by, action="tag-canonical", target=tag)
        changed(tags=touched)
    return tag


def tag_set_parent(*, tag: Tag, parent: Tag | None, by) -> Tag:
    """Put a tag under `parent` (a canonical tag; a character under its fandom, a sub-tag
    under its tag), or at the top with `parent=None`. An unwrangled tag becomes canonical."""
    if tag.synonym_of_id is not None:
        raise ActionRefused(
            _("“%(tag)s” is a synonym of “%(synonym_of)s”: set the parents of “%(synonym_of)s”.")
            % {"tag": tag, "synonym_of": tag.synonym_of}
        )
    if parent is None and tag.parent_id is None:
        raise ActionRefused(_("“%(tag)s” has no parent to remove.") % {"tag": tag})
    if parent is not None:
        if parent.pk == tag.parent_id:
            raise ActionRefused(
                _("“%(tag)s” is already under “%(parent)s”.") % {"tag": tag, "parent": parent}
            )
        if parent.synonym_of_id is not None:
            raise ActionRefused(
                _("“%(parent)s” is a synonym of “%(synonym_of)s”: choose “%(synonym_of)s”.")
                % {"parent": parent, "synonym_of": parent.synonym_of}
            )
        if not parent.wrangled:
            raise ActionRefused(
                _("“%(parent)s” is not wrangled yet: make it canonical first.") % {"parent": parent}
            )
        if _is_below(parent, tag):
            raise ActionRefused(
                (
                    _("“%(parent)s” is the tag itself: a tag cannot be under itself.")
                    if parent.pk == tag.pk
                    else _("“%(parent)s” is below “%(tag)s”: a tag cannot be under itself.")
                )
                % {"parent": parent, "tag": tag}
            )
    with transaction.atomic():
        before = tag.parent
        touched = _meaning_of(tag)  # the stories under it are found by its parents' names
        tag.parent, tag.wrangled = parent, True
        tag.save(update_fields=["parent", "wrangled"])
        reason = f"under “{parent}”" if parent else f"no longer under “{before}”"
        audit_record(by=by, action="tag-parent", target=tag, reason=reason)
        changed(tags=touched)
    return tag


def tags_delete(*, tags: Iterable[Tag]) -> None:
    """Delete tags (the admin's delete; a tag under another is protected, and the admin says
    so before). Their filings go with them: the stories filed under them or a synonym are named
    first, so the search index files them again; the kept pages are retired after."""
    tags = list(tags)
    with transaction.atomic():
        changed(tags=_meaning_of(*tags))
        Tag.objects.filter(pk__in=[tag.pk for tag in tags]).delete()
        changed()


def tag_rename(*, tag: Tag, name: str, by) -> Tag:
    """Give a tag a new name (another of its kind may not have it, whatever the case)."""
    name = tidy_title(name or "")
    if not name:
        raise ActionRefused(_("A tag needs a name."))
    if len(name) > NAME_LENGTH:
        raise ActionRefused(
            _("A tag's name has at most %(NAME_LENGTH)s characters.") % {"NAME_LENGTH": NAME_LENGTH}
        )
    if name == tag.name:
        raise ActionRefused(_("“%(tag)s” already has this name.") % {"tag": tag})
    taken = Tag.objects.filter(kind=tag.kind_id, name__iexact=name).exclude(pk=tag.pk).first()
    if taken is not None:
        raise ActionRefused(
            _("There is already a tag “%(taken)s” among the %(kind)s: merge into it instead.")
            % {"taken": taken, "kind": tag.kind}
        )
    with transaction.atomic():
        before = tag.name
        tag.name = name
        tag.save(update_fields=["name"])
        audit_record(by=by, action="tag-rename", target=tag, reason=f"was “{before}”")
        changed(tags=_meaning_of(tag))
    return tag
