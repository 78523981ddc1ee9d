"""News and the site's own pages for readers; members comment. Staff write both in the admin.

Thin: who sees what is `permissions`, reads are `selectors`, the write is `actions`. A refused
comment (empty, too long, too many) shows the post again with the reason and the text kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fabula.lib.refusals import ActionRefused, NotAllowed, RateLimited
from fabula.news import actions, permissions, selectors
from fabula.news.forms import CommentForm
from fabula.news.models import Post
from fabula.stories.listing.pages import page_links, paginate

NEWS_PER_PAGE = 10


def post_list(request) -> HttpResponse:
    page = paginate(
        selectors.with_comment_counts(permissions.visible_posts(request.user)),
        request.GET.get("page"),
        per_page=NEWS_PER_PAGE,
    )
    return render(
        request,
        "news/post_list.html",
        {"page": page, "pages": page_links(request.GET, page)},
    )


def post_detail(request, post_id: int) -> HttpResponse:
    post = permissions.post_for(request, post_id)
    return _post_page(request, post, CommentForm())


def _post_page(request, post: Post, form: CommentForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "news/post_detail.html",
        {
            "post": post,
            "comments": selectors.shown_comments(post),
            "form": form,
            "can_comment": permissions.can_comment(request.user, post),
        },
        status=status,
    )


@require_POST
def comment(request, post_id: int) -> HttpResponse:
    post = permissions.post_for(request, post_id)
    if not request.user.is_authenticated:
        return redirect_to_login(post.get_absolute_url())
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _post_page(request, post, form, status=400)
    try:
        actions.comment_post(post=post, user=request.user, body=form.cleaned_data["body"])
    except ActionRefused as error:
        form.add_error(None, str(error))
        status = (
            403 if isinstance(error, NotAllowed) else 429 if isinstance(error, RateLimited) else 400
        )
        return _post_page(request, post, form, status=status)
    messages.success(request, _("Your comment is posted."))
    return redirect(f"{post.get_absolute_url()}#comments")


def page(request, slug: str) -> HttpResponse:
    return render(request, "news/page.html", {"page": permissions.page_for(request, slug)})
