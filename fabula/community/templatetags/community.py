"""Community panels for reader pages: `{% story_community %}` on the story index,
`{% chapter_community %}` under a chapter, `{% continue_reading %}` on the home page; and
filters that print ratings on the site's scale.

The panels fetch their own data through `community.selectors` (a fixed handful of queries; no
query is written here), so the story views stay as they are. Guests' pages may come from the
page cache, so what a guest sees holds no form and no CSRF token: guests follow links to
uncached pages with the forms.
"""

from __future__ import annotations

from django import template
from django.urls import reverse

from fabula.community import permissions, selectors
from fabula.community.forms import ReplyForm, ReviewForm
from fabula.conf.models import SiteSettings, site_settings
from fabula.stories.permissions import is_author

register = template.Library()


def _mark_permissions(user, reviews) -> None:
    for review in reviews:
        for each in (review, *review.replies.all()):
            each.can_edit = permissions.can_edit_review(user, each)
            each.can_delete = permissions.can_delete_review(user, each)


def _panel(context, story, chapter=None) -> dict:
    request = context["request"]
    user = request.user
    reviews = selectors.latest_reviews(story=story, chapter=chapter)
    for review in reviews:  # the story is already loaded; spare a query per permission check
        review.story = story
        for reply in review.replies.all():
            reply.story = story
    _mark_permissions(user, reviews)
    can_review = permissions.can_review(user, story)
    return {
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "story": story,
        "chapter": chapter,
        "reviews": reviews,
        "review_total": chapter.review_count if chapter else story.review_count,
        "state": selectors.member_state(user, story),
        "is_author": is_author(user, story),
        "can_review": can_review,
        "review_form": ReviewForm(guest=False, user=user)
        if can_review and user.is_authenticated
        else None,
        "reply_form": ReplyForm(user=user) if user.is_authenticated else None,
        "here": request.get_full_path(),
    }


@register.inclusion_tag("community/includes/story_panel.html", takes_context=True)
def story_community(context, story):
    return _panel(context, story)


@register.inclusion_tag("community/includes/chapter_panel.html", takes_context=True)
def chapter_community(context, story, chapter):
    data = _panel(context, story, chapter)
    state = data["state"]
    data["saved_position"] = state.position if state.chapter_id == chapter.pk else None
    data["position_url"] = reverse("community:reading-position", args=[chapter.pk])
    return data


@register.inclusion_tag("community/includes/continue_reading.html", takes_context=True)
def continue_reading(context):
    user = context["request"].user
    return {"readings": selectors.continue_reading(user) if user.is_authenticated else []}


@register.filter
def review_rating(value: int | None) -> str:
    """A review's rating as the site shows it: '★★★½' or 'Liked it'."""
    if value is None:
        return ""
    if site_settings().review_ratings == SiteSettings.ReviewRatings.LIKE:
        return "Liked it" if value else "Did not like it"
    whole, half = divmod(int(value), 2)
    return "★" * whole + ("½" if half else "")


@register.filter
def average_rating(value: int | None) -> str:
    """The stored mean: stars on the star scale, the share of likes on like/dislike."""
    if value is None:
        return ""
    if site_settings().review_ratings == SiteSettings.ReviewRatings.LIKE:
        return f"{value}% liked it"
    return f"{value / 2:g} of 5 stars"


@register.inclusion_tag("community/includes/member_panel.html", takes_context=True)
def member_community(context, member):
    """On a member's page: their favourites; for the member, their own community pages; for
    others, follow, favourite and hide buttons."""
    user = context["request"].user
    data = {
        "member": member,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "here": context["request"].get_full_path(),
        "is_self": user.is_authenticated and user.pk == member.pk,
    }
    if data["is_self"]:
        data["unread"] = selectors.unread_notifications(user)
    elif user.is_authenticated:
        data.update(selectors.author_buttons(user, member))
    return data


@register.inclusion_tag("community/includes/series_panel.html", takes_context=True)
def series_community(context, series):
    """Follow and favourite buttons for a series (members only: guests' pages may be cached)."""
    request = context["request"]
    data = {
        "series": series,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        "here": request.get_full_path(),
    }
    if request.user.is_authenticated:
        data.update(selectors.series_buttons(request.user, series))
    return data
