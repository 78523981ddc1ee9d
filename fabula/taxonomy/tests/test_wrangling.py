"""Wrangling actions: each refusal (with its message, changing nothing and logging nothing), and
the audit line of each deed."""

import pytest

from fabula.audit.models import AuditEntry
from fabula.lib.refusals import ActionRefused
from fabula.stories.actions import tag_merge
from fabula.taxonomy import actions
from fabula.taxonomy.models import Tag


def state() -> list[tuple]:
    return list(
        Tag.objects.order_by("pk").values_list(
            "pk", "name", "parent_id", "synonym_of_id", "wrangled"
        )
    )


@pytest.fixture
def alias(archive):
    return Tag.objects.create(kind=archive.character, name="Jimbo", synonym_of=archive.jim)


@pytest.mark.parametrize(
    "deed, message",
    [
        (lambda a, al, by: actions.tag_make_synonym(tag=a.jim, of=a.jim, by=by), "of itself"),
        (lambda a, al, by: actions.tag_make_synonym(tag=a.pam, of=al, by=by), "choose “Jim”"),
        (lambda a, al, by: actions.tag_make_synonym(tag=a.pam, of=a.angst, by=by), "one kind"),
        (lambda a, al, by: actions.tag_make_synonym(tag=al, of=a.jim, by=by), "already a synonym"),
        (
            lambda a, al, by: actions.tag_make_synonym(tag=a.fandom, of=a.subfandom, by=by),
            "is below “The Office”",
        ),
        (lambda a, al, by: tag_merge(tag=a.jim, into=a.jim, by=by), "merged into itself"),
        (lambda a, al, by: tag_merge(tag=a.pam, into=al, by=by), "choose “Jim”"),
        (
            lambda a, al, by: actions.tag_set_parent(tag=a.fandom, parent=a.subfandom, by=by),
            "cannot be under itself",
        ),
        (
            lambda a, al, by: actions.tag_set_parent(tag=a.fandom, parent=a.fandom, by=by),
            "cannot be under itself",
        ),
        (
            lambda a, al, by: actions.tag_set_parent(tag=a.pam, parent=al, by=by),
            "choose “Jim”",
        ),
        (
            lambda a, al, by: actions.tag_set_parent(tag=al, parent=a.fandom, by=by),
            "set the parents of “Jim”",
        ),
        (lambda a, al, by: actions.tag_set_parent(tag=a.pam, parent=None, by=by), "no parent"),
        (lambda a, al, by: actions.tag_rename(tag=a.pam, name="  ", by=by), "needs a name"),
        (lambda a, al, by: actions.tag_rename(tag=a.pam, name="x" * 101, by=by), "at most 100"),
        (lambda a, al, by: actions.tag_rename(tag=a.pam, name="jimbo", by=by), "already a tag"),
        (lambda a, al, by: actions.tag_rename(tag=a.pam, name="Pam", by=by), "already has"),
        (lambda a, al, by: actions.tag_make_canonical(tag=a.pam, by=by), "already canonical"),
    ],
)
def test_each_refusal_says_why_and_changes_nothing(archive, alias, admin_user, deed, message):
    before = state()
    with pytest.raises(ActionRefused, match=message):
        deed(archive, alias, admin_user)
    assert state() == before
    assert not AuditEntry.objects.exists()


def test_an_unwrangled_parent_is_refused(archive, admin_user):
    [loose] = actions.freeform_tags(names=["Loose"])
    [other] = actions.freeform_tags(names=["Other"])
    with pytest.raises(ActionRefused, match="not wrangled yet"):
        actions.tag_set_parent(tag=other, parent=loose, by=admin_user)
    assert Tag.objects.get(pk=other.pk).parent_id is None


def test_each_deed_is_in_the_audit_log(archive, alias, admin_user, make_story, author):
    [loose] = actions.freeform_tags(names=["Loose"])
    assert loose.unwrangled
    actions.tag_make_canonical(tag=loose, by=admin_user)
    actions.tag_set_parent(tag=archive.pam, parent=archive.fandom, by=admin_user)
    actions.tag_rename(tag=archive.pam, name="Pam Beesly", by=admin_user)
    make_story(author, "Both", tags=[archive.pam, archive.jim])
    make_story(author, "Pam only", tags=[archive.pam])
    # A synonym of Pam goes with it: it becomes a synonym of Jim, never a synonym of a synonym.
    beesly = Tag.objects.create(kind=archive.character, name="Beesly", synonym_of=archive.pam)
    assert tag_merge(tag=archive.pam, into=archive.jim, by=admin_user) == 2
    assert Tag.objects.get(pk=beesly.pk).synonym_of_id == archive.jim.pk
    pam = Tag.objects.get(pk=archive.pam.pk)
    assert pam.synonym_of_id == archive.jim.pk and pam.parent_id is None
    assert not pam.story_tags.exists() and archive.jim.story_tags.count() == 2  # one per story
    log = list(AuditEntry.objects.order_by("pk").values_list("action", "target_id", "actor_id"))
    assert log == [
        ("tag-canonical", loose.pk, admin_user.pk),
        ("tag-parent", archive.pam.pk, admin_user.pk),
        ("tag-rename", archive.pam.pk, admin_user.pk),
        ("tag-merge", archive.pam.pk, admin_user.pk),
    ]
