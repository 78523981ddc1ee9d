"""Related works: a story inspired by, translating or remixing a story here or a work elsewhere.

`relation_add` reads what the author typed: a story's number or its address on this site (a
link to a story here), else a web address by `lib.weblinks`'s rule (http or https only, so no
`javascript:` link reaches a page). A link to someone else's story waits for one of its authors
(`relation_answer`), who hears of it once the derived story is public; only approved links are
listed on the original's page.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fabula.accounts.models import User
from fabula.conf.models import site_settings
from fabula.lib.changes import changed
from fabula.lib.refusals import ActionRefused, FieldRefused
from fabula.lib.weblinks import web_address
from fabula.lib.words import tidy_title
from fabula.notifications.actions import notify
from fabula.notifications.models import Notification
from fabula.stories.actions.gifts import gifts_announce
from fabula.stories.models import Story, StoryRelation
from fabula.stories.permissions import is_author, viewable_stories

RELATION_FIELD = "relation_to"  # the form field a refusal names
STORY_PATH = re.compile(r"^/?stories/(\d{1,10})(?:/|$)")


def story_number(address: str) -> int | None:
    """The story a number or an address on this site names (`12`, `/stories/12/`, the site's
    own `https://…/stories/12/chapter/3/`), or None for anything else."""
    address = address.strip()
    if address.isdigit() and len(address) <= 10:
        return int(address)
    parts = urlsplit(address)
    if parts.scheme or parts.netloc:
        ours = urlsplit(site_settings().site_url)
        if (parts.scheme, parts.netloc.lower()) not in {
            (ours.scheme, ours.netloc.lower()),
            ("http" if ours.scheme == "https" else "https", ours.netloc.lower()),
        }:
            return None
    found = STORY_PATH.match(parts.path)
    return int(found.group(1)) if found else None


@transaction.atomic
def relation_add(
    *, story: Story, kind: str, to: str, title: str = "", by: User | None = None
) -> StoryRelation:
    """`story` is inspired by, translates or remixes (`kind`) what `to` names: a story here
    (that `by` may see) or a work elsewhere by its web address, with its `title`."""
    if kind not in StoryRelation.Kind.values:
        raise FieldRefused(
            _("Choose how the story is related: inspired by, translation or remix."),
            "relation_kind",
        )
    to = (to or "").strip()
    if not to:
        raise FieldRefused(
            _("Give the related work's address, or its story number here."), RELATION_FIELD
        )
    number = story_number(to)
    if number is not None:
        visible = viewable_stories(by) if by is not None else Story.objects.all()
        original = visible.filter(pk=number).first()
        if original is None:
            raise FieldRefused(
                _("There is no story number %(number)s here.") % {"number": number}, RELATION_FIELD
            )
        if original.pk == story.pk:
            raise FieldRefused(_("A story cannot be related to itself."), RELATION_FIELD)
        if story.relations.filter(original=original).exists():
            raise FieldRefused(
                _("This story is already related to “%(title)s”.") % {"title": original.title},
                RELATION_FIELD,
            )
        own = by is not None and is_author(by, original)
        relation = StoryRelation.objects.create(
            story=story,
            kind=kind,
            original=original,
            answer=StoryRelation.Answer.APPROVED if own else StoryRelation.Answer.WAITING,
            answered_at=timezone.now() if own else None,
            announced_at=timezone.now() if own else None,
        )
        relations_announce(story=story, by=by)
        changed(stories=[story.pk, original.pk])
        return relation
    url = web_address(to)
    if not url:
        raise FieldRefused(
            _(
                "Give a story's number or address here, or a web address starting with http:// or https://."
            ),
            RELATION_FIELD,
        )
    if story.relations.filter(url=url).exists():
        raise FieldRefused(_("This story is already related to that address."), RELATION_FIELD)
    relation = StoryRelation.objects.create(
        story=story,
        kind=kind,
        url=url,
        title=tidy_title(title)[:200],
        answer=StoryRelation.Answer.APPROVED,  # nobody here to ask
        answered_at=timezone.now(),
    )
    changed(story=story)
    return relation


def relations_announce(*, story: Story, by: User | None = None) -> int:
    """Ask the authors of the stories here that `story` names, once it is public and if they
    were not asked yet; returns how many links were announced."""
    if not story.is_public:
        return 0
    waiting = list(
        story.relations.filter(
            original__isnull=False,
            answer=StoryRelation.Answer.WAITING,
            announced_at__isnull=True,
        ).select_related("original")
    )
    for relation in waiting:
        original = relation.original
        assert original is not None
        notify(
            [credit.user for credit in original.credits.select_related("user")],
            kind=Notification.Kind.RELATED,
            text=f"“{story.title}” says it is {relation.get_kind_display().lower()} "
            f"your “{original.title}”.",
            url=reverse("stories:mine") + "#related",
            story=story,
            actor=by,
            detail="Approve it to list it on your story's page, or reject it, on your "
            "“My stories” page.",
        )
    StoryRelation.objects.filter(pk__in=[r.pk for r in waiting]).update(announced_at=timezone.now())
    return len(waiting)


def story_links_announce(*, story: Story, by: User | None = None) -> None:
    """The story may have just become public (submitted, validated): tell the members it is
    for, and ask the authors of the stories it names."""
    gifts_announce(story=story, by=by)
    relations_announce(story=story, by=by)


@transaction.atomic
def relation_answer(*, relation: StoryRelation, approve: bool, by: User) -> None:
    """An author of the original approves the link (the original's page lists the derived
    story) or rejects it (it does not)."""
    if relation.original is None or not is_author(by, relation.original):
        raise ActionRefused(_("Only the original story's authors answer this."))
    relation.answer = StoryRelation.Answer.APPROVED if approve else StoryRelation.Answer.REJECTED
    relation.answered_at = timezone.now()
    relation.save(update_fields=["answer", "answered_at"])
    changed(stories=[relation.story_id, relation.original])


@transaction.atomic
def relation_remove(*, relation: StoryRelation, by: User | None = None) -> None:
    """The derived story's authors take the link off."""
    stories = [relation.story_id, *([relation.original_id] if relation.original_id else [])]
    relation.delete()
    changed(stories=stories)
