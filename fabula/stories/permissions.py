"""Who may see which story: the archive's most sensitive rule, in one place.

Checks that answer a single story (`can_view_story`, `check_view_story`, `required_gate`) sit
beside the querysets that filter many (`listed_stories`, `viewable_stories`, `visible_chapters`)
and `story_for`, the one loader of a story for views (a 404 for what the reader may not see, a
403 for what they may not do). Every page, list, feed, export and legacy URL goes through them.
What "public" and "released" mean is written once, as querysets in `stories.models`.

- A story is public when it is published and has at least one released chapter.
- Drafts, stories awaiting validation and stories hidden by staff are seen only by their authors
  and by moderators; everyone else gets a 404, as if they did not exist.
- A story is for members only when its author locked it (AO3's "restricted" works) or its
  rating is registered-only (`members_only`, `guest_stories`): guests never see it in a list,
  count, search, feed or answer, and meet a login gate (403) at its address.
- Age-consent and warning ratings let a story be listed, but put a gate before its text.
- A story in an unrevealed collection (`Story.unrevealed`) is not public: only its authors,
  moderators and the collection's maintainers (`unrevealed_readable`) see it until the reveal.
- A story in an anonymous collection (`Story.anonymous`) names "Anonymous" as its authors
  (`models.shown_authors`) and is left off its authors' pages and counts (`credited_stories`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404

from fabula.accounts.models import Pseud, User
from fabula.conf.models import site_settings
from fabula.stories.models import (
    Block,
    Chapter,
    Gift,
    Status,
    Story,
    StoryAuthor,
    StoryRelation,
    StoryTag,
)
from fabula.stories.selectors import (
    ChapterDetail,
    chapter_list,
    has_gifts_or_relations,
    story_with_rating,
)
from fabula.taxonomy.models import Rating, Tag

Viewer = User | AnonymousUser
Gate = Literal["registered", "age", "warning"]
StoryCheck = Callable[[Viewer, Story], bool]


def is_moderator(user: Viewer) -> bool:
    return user.is_authenticated and user.is_moderator


def is_author(user: Viewer, story: Story) -> bool:
    if not user.is_authenticated:
        return False
    return any(credit.user_id == user.pk for credit in story.credits.all())


def listed_stories(user: Viewer, *, blocks: bool = True) -> QuerySet[Story]:
    """Stories that may appear in lists, counts and feeds for this reader; with
    `blocks=False`, also those a member's blocklist hides (to say how many it hid)."""
    stories: QuerySet[Story] = Story.objects.public()
    if not user.is_authenticated:
        stories = guest_stories(stories)
    elif blocks:
        stories = hide_blocked(user, stories)
    return stories


def lists_alike_for_all(user: Viewer) -> bool:
    """Does this reader see every list as every other such reader does? Guests do (the branch
    of `listed_stories` without a blocklist: `guest_stories` of the public ones), so what is
    counted of a guest's list may be kept for all of them (`listing.counts`), and a search may
    keep its matches by the sight the index keeps of each story (`search.results`)."""
    return not user.is_authenticated


def guest_stories(stories: QuerySet[Story]) -> QuerySet[Story]:
    """Of these stories, those a guest may know of: neither locked by their authors nor rated
    for members only. The queryset form of `members_only`."""
    return unlocked_stories(stories).filter(rating__registered_only=False)


# The two halves of `guest_stories`, for the search index: it keeps the first beside each of a
# story's chapters (`search.indexing`), written again whenever the story or one of its
# chapters is named as changed, and asks the second when searching, since an admin changing
# one rating's gate changes it for thousands of stories at once.


def unlocked_stories(stories: QuerySet[Story]) -> QuerySet[Story]:
    """Of these stories, those their authors did not lock to members (`Story.locked`)."""
    return stories.filter(locked=False)


def guest_ratings() -> QuerySet[Rating]:
    """The ratings whose stories a guest may know of (not for members only)."""
    return Rating.objects.filter(registered_only=False)


def members_only(story: Story) -> bool:
    """Is this story for members only: locked by its authors, or under a members-only rating?"""
    return story.locked or story.rating.registered_only


def offered_stories(user: Viewer) -> QuerySet[Story]:
    """Stories offered beyond reading on the site (downloads, feeds, OPDS) to this reader: the
    listed ones whose authors did not keep them for reading only."""
    return listed_stories(user).filter(reading_only=False)


def hide_blocked(user: User, stories: QuerySet[Story]) -> QuerySet[Story]:
    """Drop what the member blocked (the community pages keep the blocklist): stories they
    blocked, stories by blocked authors, and stories with a blocked tag, one of its synonyms or
    a tag right under it (a blocked fandom hides its sub-areas). Pure SQL, subqueries on the
    member's blocks, so a list costs no extra query whether or not the member blocked anything."""
    blocks = Block.objects.filter(user_id=user.pk)
    blocked_tags = blocks.filter(tag__isnull=False).values("tag_id")
    by_blocked_authors = StoryAuthor.objects.filter(
        user_id__in=blocks.filter(author__isnull=False).values("author_id")
    ).values("story_id")
    with_blocked_tags = StoryTag.objects.filter(
        Q(tag_id__in=blocked_tags)
        | Q(tag__parent_id__in=blocked_tags)
        | Q(tag__synonym_of_id__in=blocked_tags)
    ).values("story_id")
    return stories.exclude(
        Q(pk__in=blocks.filter(story__isnull=False).values("story_id"))
        | Q(pk__in=by_blocked_authors)
        | Q(pk__in=with_blocked_tags)
    )


# Who else may read a story waiting for a reveal: the collections app, above this one, registers
# the stories of the collections each member maintains (`let_read_unrevealed`), so the rule
# stays here, in one place, without this app importing the one above.
_unrevealed_readers: list[Callable[[User], QuerySet[Story]]] = []


def let_read_unrevealed(stories_of: Callable[[User], QuerySet[Story]]) -> None:
    """From now on, a member may also read the unrevealed stories `stories_of(member)` names."""
    if stories_of not in _unrevealed_readers:
        _unrevealed_readers.append(stories_of)


def unrevealed_readable(user: Viewer) -> QuerySet[Story]:
    """Stories out but unrevealed that this member may read though not their author (those of
    the collections they maintain)."""
    if not user.is_authenticated or not _unrevealed_readers:
        return Story.objects.none()
    named = Q()
    for stories_of in _unrevealed_readers:
        named |= Q(pk__in=stories_of(user).values("pk"))
    return Story.objects.filter(
        named, status=Status.PUBLISHED, chapter_count__gt=0, unrevealed=True
    )


def can_view_story(user: Viewer, story: Story, *, members: bool = False) -> bool:
    """May this reader open the story (a gate may still stand before its text)? With
    `members`, past the members-only gate too: may they see its text, reviews and chapters'
    titles, and take part (review, report, kudos)?"""
    if members and behind_members_gate(user, story):
        return False
    if story.is_public:
        return True
    if is_moderator(user) or is_author(user, story):
        return True
    return (
        story.unrevealed and story.is_out and unrevealed_readable(user).filter(pk=story.pk).exists()
    )


def signed(stories: QuerySet[Story]) -> QuerySet[Story]:
    """Of these stories, those whose bylines name their authors: not those signed "Anonymous"
    (`Story.anonymous`). Whatever lists or counts a member's work for everyone (author pages
    and feeds, author counts, the search index's `author:`) goes through here, so that an
    anonymous story never leads back to its author."""
    return stories.filter(anonymous=False)


def credited_stories(
    user: Viewer, stories: QuerySet[Story], author: User, pseud: Pseud | None = None
) -> QuerySet[Story]:
    """Of these stories, those an author page (or feed, or count) of `author` lists for this
    reader: stories credited to them (with `pseud`, signed with it), but not those signed
    "Anonymous" (`Story.anonymous`), which only the author themselves and moderators find
    there."""
    credited = stories.filter(
        credits__user=author, **({"credits__pseud": pseud} if pseud is not None else {})
    )
    if is_moderator(user) or (user.is_authenticated and user.pk == author.pk):
        return credited
    return signed(credited)


def behind_members_gate(user: Viewer, story: Story) -> bool:
    """Is this a members-only story and the reader a guest? (They may know it exists, from
    its address, but not read it nor take part in it: reviews, kudos, follows.)"""
    return members_only(story) and not user.is_authenticated


def rating_behind_members_gate(user: Viewer, rating: Rating) -> bool:
    """Are this rating's stories for members only, and the reader a guest?"""
    return rating.registered_only and not user.is_authenticated


def check_view_story(
    user: Viewer, story: Story, *, need: StoryCheck | None = None, members: bool = False
) -> None:
    """Raise unless this reader may see the story (404, as if it did not exist), and, with
    `members`, is past the members-only gate (403); and unless `need`, a check such as
    `can_edit_story`, allows what the page does (403)."""
    if not can_view_story(user, story):
        raise Http404("No such story.")
    if members and behind_members_gate(user, story):
        raise PermissionDenied("This story is for members only: log in first.")
    if need is not None and not need(user, story):
        raise PermissionDenied("You may not change this story.")


def story_for(
    request,
    story_id: int,
    *,
    need: StoryCheck | None = None,
    members: bool = False,
    load: Literal["rating", "credits"] = "rating",
) -> Story:
    """The story an address names, for the reader asking, or a refusal: every view loads its
    story here. `need`, `members`: as `check_view_story`; `load`: what comes with the story,
    its rating (enough for the checks) or also its credits with their members (for authors'
    names and `is_author`). A story's header keeps its own copy of its credits and tags
    (`selectors.story_header`)."""
    story = story_with_rating(story_id)
    if story is None:
        raise Http404("No such story.")
    if load == "credits":
        prefetch_related_objects(
            [story],
            Prefetch("credits", queryset=StoryAuthor.objects.select_related("user", "pseud")),
        )
    check_view_story(request.user, story, need=need, members=members)
    return story


def sees_unreleased(user: Viewer, story: Story) -> bool:
    """Does this reader see every chapter of the story, drafts and scheduled ones too? Its
    authors and moderators do; everyone else, the released ones."""
    return is_moderator(user) or is_author(user, story)


def visible_chapters(user: Viewer, story: Story) -> QuerySet[Chapter]:
    """The chapters this reader may read, in order (`sees_unreleased`)."""
    chapters = story.chapters.order_by("position")
    return chapters if sees_unreleased(user, story) else chapters.released()


def readable_chapters(
    user: Viewer, story: Story, detail: ChapterDetail = "line", *, position: int | None = None
) -> list[Chapter]:
    """`visible_chapters` read in plain SQL, for the pages read most (a chapter, a story's
    contents, the whole story, eFiction's index and printable): see `selectors.chapter_list`."""
    released_only = not sees_unreleased(user, story)
    return chapter_list(story, released_only=released_only, detail=detail, position=position)


def viewable_stories(user: Viewer) -> QuerySet[Story]:
    """Stories this reader may open from a list of links: listed ones, plus their own work
    (and, for moderators, everything)."""
    if is_moderator(user):
        return Story.objects.all()
    listed = listed_stories(user)
    if user.is_authenticated:
        return Story.objects.filter(
            Q(pk__in=listed.values("pk"))
            | Q(pk__in=user.credits.values("story_id"))
            | Q(pk__in=unrevealed_readable(user).values("pk"))
        )
    return listed


# ---------------------------------------------------------------------------------------------
# Gifts and related works: shown only where the reader may see the story they lead to.


def gifts_received(user: Viewer, member: User) -> QuerySet[Gift]:
    """The gifts a member's Gifts page lists for this reader: not refused, of stories the
    reader may open, newest first."""
    return (
        Gift.objects.filter(
            recipient=member,
            refused_at__isnull=True,
            story__in=viewable_stories(user).values("pk"),
        )
        .select_related("story__rating")
        .order_by("-created_at", "-pk")
    )


def can_refuse_gift(user: Viewer, gift: Gift) -> bool:
    return user.is_authenticated and gift.recipient_id == user.pk


def can_answer_relation(user: Viewer, relation: StoryRelation) -> bool:
    """The original's authors approve or reject a link to their story."""
    original = relation.original
    return user.is_authenticated and original is not None and is_author(user, original)


def relations_to_answer(user: User) -> QuerySet[StoryRelation]:
    """Links from public stories to this author's stories that wait for an answer."""
    return (
        StoryRelation.objects.filter(
            original__credits__user=user,
            answer=StoryRelation.Answer.WAITING,
            story__in=listed_stories(user, blocks=False).values("pk"),
        )
        .select_related("story", "original")
        .order_by("created_at", "pk")
    )


@dataclass
class StoryLinks:
    """Who a story is for and how it relates to others, as this reader may see them:
    `relations` are the story's own claims (`original_visible` says whether the reader may open
    the story here it names); `related_works` are the approved stories derived from it."""

    gifts: list[Gift]
    relations: list[StoryRelation]
    related_works: list[StoryRelation]


def story_links(user: Viewer, story: Story) -> StoryLinks:
    """`StoryLinks` in one query, two with gifts, three with relations (more when there are
    related works: their authors)."""
    # Most stories are nobody's gift and have no relation: one plain look spares them the
    # queries below, which were a quarter of a story index page built cold.
    any_gift, any_relation = has_gifts_or_relations(story.pk)
    gifts = (
        list(story.gifts.filter(refused_at__isnull=True).select_related("recipient"))
        if any_gift
        else []
    )
    if not any_relation:
        return StoryLinks(gifts=gifts, relations=[], related_works=[])
    visible = viewable_stories(user)
    rows = list(
        StoryRelation.objects.filter(
            Q(story=story)
            | Q(
                original=story,
                answer=StoryRelation.Answer.APPROVED,
                story__in=visible.values("pk"),
            )
        )
        .annotate(original_visible=Exists(visible.filter(pk=OuterRef("original_id"))))
        .select_related("story", "original")
        .prefetch_related(
            Prefetch("story__credits", queryset=StoryAuthor.objects.select_related("user")),
            Prefetch("original__credits", queryset=StoryAuthor.objects.select_related("user")),
        )
    )
    return StoryLinks(
        gifts=gifts,
        relations=[row for row in rows if row.story_id == story.pk],
        related_works=[row for row in rows if row.original_id == story.pk],
    )


def unlisted_stories_of(author: User) -> QuerySet[Story]:
    """The author's work that lists leave out: drafts, pending, hidden, or with no chapter
    released yet. Shown only to the author and to moderators."""
    return (
        Story.objects.filter(credits__user=author)
        .exclude(pk__in=Story.objects.public().values("pk"))
        .select_related("rating")
        .order_by("-created_at", "-pk")
    )


def required_gate(request, story: Story) -> Gate | None:
    """The gate a reader must pass before the story's text, or None.

    Consent and warnings are remembered for the session (a member's age-consent preference
    counts too); the authors and moderators never see a gate.
    """
    user = request.user
    rating = story.rating
    if not (members_only(story) or rating.age_consent or rating.warning):
        return None
    if is_moderator(user) or is_author(user, story):
        return None
    if behind_members_gate(user, story):
        return "registered"
    session = getattr(request, "session", None) or {}
    if rating.age_consent and not (
        (user.is_authenticated and user.age_consent) or session.get("age_consent")
    ):
        return "age"
    if rating.warning and rating.pk not in session.get("warned_ratings", []):
        return "warning"
    return None


def pass_gate(request, story: Story, gate: Gate) -> None:
    """Remember for this session that the reader answered a gate."""
    if gate == "age":
        request.session["age_consent"] = True
        if story.rating.warning:  # eFiction's age link answers the warning too
            gate = "warning"
    if gate == "warning":
        warned = list(request.session.get("warned_ratings", []))
        if story.rating_id not in warned:
            request.session["warned_ratings"] = [*warned, story.rating_id]


# ---------------------------------------------------------------------------------------------
# Who may write: posting, editing, series, and staff work. Views ask these; actions trust them.


def is_admin(user: Viewer) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.level == User.Level.ADMIN)
    )


def can_post(user: Viewer) -> bool:
    """May this member post new work? Staff may even when submissions are closed."""
    if not (user.is_authenticated and user.is_active) or user.locked:
        return False
    return site_settings().submissions_open or is_moderator(user)


def needs_validation(user: Viewer) -> bool:
    """Does this member's new work wait in the validation queue?"""
    if is_moderator(user) or getattr(user, "trusted", False):
        return False
    return not site_settings().auto_validate


def is_main_author(user: Viewer, story: Story) -> bool:
    if not user.is_authenticated:
        return False
    credits = sorted(story.credits.all(), key=lambda credit: credit.position)
    return bool(credits) and credits[0].user_id == user.pk


def can_moderate_story(user: Viewer, story: Story) -> bool:
    """Staff who look after this story: admins, and moderators of (one of) its categories.

    A moderator with no categories set looks after the whole archive, as in eFiction.
    """
    if is_admin(user):
        return True
    if not is_moderator(user):
        return False
    assert isinstance(user, User)  # a moderator is a member
    categories = set(user.moderated_categories.values_list("pk", flat=True))
    if not categories:
        return True
    for tag in story.tags.select_related("parent").all():
        node: Tag | None = tag
        while node is not None:  # a sub-category belongs to the category above it
            if node.pk in categories:
                return True
            node = node.parent
    return False


def moderated_stories(user: Viewer) -> QuerySet[Story]:
    """The stories `can_moderate_story` lets this member look after, as a queryset: all of them
    for admins and for moderators with no categories, else those filed under one of their
    categories or a sub-category below it (a query per level of the tree)."""
    if is_admin(user):
        return Story.objects.all()
    if not is_moderator(user):
        return Story.objects.none()
    assert isinstance(user, User)  # a moderator is a member
    categories = set(user.moderated_categories.values_list("pk", flat=True))
    if not categories:
        return Story.objects.all()
    below = categories
    while below:  # a sub-category belongs to the category above it
        below = set(Tag.objects.filter(parent_id__in=below).values_list("pk", flat=True))
        below -= categories
        categories |= below
    return Story.objects.filter(
        pk__in=StoryTag.objects.filter(tag_id__in=categories).values("story_id")
    )


def can_edit_story(user: Viewer, story: Story) -> bool:
    """Authors edit their own work (not while locked, nor once staff hid it); staff who look
    after the story may too."""
    if not (user.is_authenticated and user.is_active):
        return False
    if can_moderate_story(user, story):
        return True
    return not user.locked and story.status != Status.HIDDEN and is_author(user, story)


def can_delete_story(user: Viewer, story: Story) -> bool:
    """The main author, or staff who look after the story; co-authors may only leave it."""
    if not (user.is_authenticated and user.is_active):
        return False
    if can_moderate_story(user, story):
        return True
    return not user.locked and is_main_author(user, story)


def can_manage_coauthors(user: Viewer, story: Story) -> bool:
    return can_delete_story(user, story)


def can_leave_story(user: Viewer, story: Story) -> bool:
    """A co-author may take their own name off a story; the main author deletes it instead."""
    return user.is_authenticated and is_author(user, story) and not is_main_author(user, story)


def can_answer_invite(user: Viewer, invite) -> bool:
    return user.is_authenticated and user.is_active and invite.user_id == user.pk


def can_manage_series(user: Viewer, series) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return is_admin(user) or (series.owner_id == user.pk and not user.locked)


def can_add_to_series(user: Viewer, series) -> bool:
    """Owners add freely; others only to open or moderated series (the latter wait)."""
    if can_manage_series(user, series):
        return True
    return can_post(user) and series.openness != series.Openness.CLOSED


def can_post_challenge(user: Viewer) -> bool:
    return can_post(user)


def can_moderate(user: Viewer) -> bool:
    """May use the validation and reports queues."""
    return is_moderator(user)


def can_wrangle(user: Viewer) -> bool:
    """May use the wrangling pages: members named wranglers, moderators and administrators."""
    return user.is_authenticated and user.is_wrangler


def can_manage_member(user: Viewer, member: User) -> bool:
    """May lock or ban this member: moderators over ordinary members, admins over all but
    themselves and other admins."""
    if not is_moderator(user) or member.pk == user.pk:
        return False
    if member.is_superuser or member.level == User.Level.ADMIN:
        return False
    if member.level == User.Level.MODERATOR:
        return is_admin(user)
    return True


def can_report(user: Viewer) -> bool:
    """Anyone may report, guests included (a locked member may not)."""
    return not (user.is_authenticated and user.locked)
