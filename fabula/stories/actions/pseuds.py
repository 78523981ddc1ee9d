"""A member's pseuds: add, rename, make default, delete (moving its works to another pseud).

Here, in stories, not in accounts: a pseud's works are story credits, and renaming or moving
one changes bylines that pages and the search index hold. Reviews and anything else later
signed with a pseud move with it through the pseud's relations (`_move_signed`), so this module
does not import the apps above it.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import ForeignKey

from fabula.accounts.models import Pseud, User
from fabula.lib.changes import changed
from fabula.lib.refusals import ActionRefused, FieldRefused, NotAllowed
from fabula.lib.text import invisible_character
from fabula.lib.words import normal_pen_name
from fabula.stories.models import StoryAuthor

MAX_PSEUDS = 50  # a generous ceiling, so a script cannot fill the namespace of pen names


def default_pseud(user: User) -> Pseud:
    """The pseud a member signs with unless they choose another (made if somehow missing)."""
    pseud = Pseud.objects.filter(user=user, is_default=True).first()
    if pseud is None:
        pseud = Pseud.objects.create(user=user, name=_free_name(user.pen_name), is_default=True)
    return pseud


def signing_pseud(user: User, pseud: Pseud | int | None) -> Pseud:
    """The pseud `user` signs with: the one asked for, which must be theirs, or their default.
    Refused (NotAllowed) for another member's pseud: a crafted form cannot sign as someone
    else."""
    if pseud is None or pseud == "":
        return default_pseud(user)
    pseud_id = pseud.pk if isinstance(pseud, Pseud) else pseud
    found = Pseud.objects.filter(pk=pseud_id, user=user).first()
    if found is None:
        raise NotAllowed("You can only sign with one of your own pseuds.")
    return found


def _free_name(name: str) -> str:
    """`name`, or `name (2)`, `name (3)`...: the first no pseud holds (ignoring case)."""
    candidate, n = name, 1
    while Pseud.objects.filter(name__iexact=candidate).exists():
        n += 1
        candidate = f"{name[:54]} ({n})"
    return candidate


def _clean_name(name: str, *, user: User, keep: Pseud | None = None) -> str:
    name = normal_pen_name(name)
    if not name:
        raise FieldRefused("A pseud needs a name.", "name")
    if len(name) > 60:
        raise FieldRefused("A pseud's name is at most 60 characters.", "name")
    if invisible_character(name):
        raise FieldRefused("A pseud's name cannot hold invisible characters.", "name")
    taken = Pseud.objects.filter(name__iexact=name)
    if keep is not None:  # renaming: the pseud's own name is fine
        taken = taken.exclude(pk=keep.pk)
    # Another member's pen name is taken too, even if they no longer sign with it (their own
    # is theirs to sign with again).
    pen_names = User.objects.filter(pen_name__iexact=name).exclude(pk=user.pk)
    if taken.exists() or pen_names.exists():
        raise FieldRefused(f"The name “{name}” is taken.", "name")
    return name


def _own(user: User, pseud: Pseud) -> None:
    if pseud.user_id != user.pk:
        raise NotAllowed("That pseud is not yours.")


@transaction.atomic
def pseud_add(*, user: User, name: str) -> Pseud:
    """A new pseud for `user` (not the default)."""
    if Pseud.objects.filter(user=user).count() >= MAX_PSEUDS:
        raise ActionRefused(f"A member has at most {MAX_PSEUDS} pseuds.")
    return Pseud.objects.create(user=user, name=_clean_name(name, user=user))


@transaction.atomic
def pseud_rename(*, user: User, pseud: Pseud, name: str) -> Pseud:
    _own(user, pseud)
    pseud.name = _clean_name(name, user=user, keep=pseud)
    pseud.save(update_fields=["name"])
    # Bylines on cards, pages, feeds and in the search index show the new name.
    changed(stories=_story_ids(pseud))
    return pseud


@transaction.atomic
def pseud_make_default(*, user: User, pseud: Pseud) -> Pseud:
    _own(user, pseud)
    if not pseud.is_default:
        Pseud.objects.filter(user=user, is_default=True).update(is_default=False)
        pseud.is_default = True
        pseud.save(update_fields=["is_default"])
    return pseud


@transaction.atomic
def pseud_delete(*, user: User, pseud: Pseud, move_to: Pseud | None = None) -> None:
    """Delete a pseud. The default cannot go; a pseud with works goes only when they move to
    another of the member's pseuds (`move_to`), and its reviews move there too."""
    _own(user, pseud)
    if pseud.is_default:
        raise ActionRefused("The default pseud cannot be deleted; make another the default first.")
    story_ids = _story_ids(pseud)
    if move_to is None:
        if story_ids:
            raise ActionRefused(
                f"“{pseud.name}” signs {len(story_ids)} "
                f"{'story' if len(story_ids) == 1 else 'stories'}: choose a pseud to move "
                "them to."
            )
        move_to = default_pseud(user)
    _own(user, move_to)
    if move_to.pk == pseud.pk:
        raise ActionRefused("Choose another pseud to move its works to.")
    _move_signed(pseud, move_to)
    pseud.delete()
    if story_ids:
        changed(stories=story_ids)
    else:
        changed()


def _story_ids(pseud: Pseud) -> list[int]:
    return list(
        StoryAuthor.objects.filter(pseud=pseud).values_list("story_id", flat=True).distinct()
    )


def _move_signed(pseud: Pseud, to: Pseud) -> None:
    """Everything signed with `pseud` (credits, reviews, whatever points at it) is signed with
    `to`."""
    for relation in Pseud._meta.related_objects:
        if isinstance(relation.field, ForeignKey):
            relation.related_model._default_manager.filter(**{relation.field.name: pseud}).update(
                **{relation.field.name: to}
            )
