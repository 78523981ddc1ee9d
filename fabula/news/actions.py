"""Every write to news and pages: staff post and edit (from the admin), members comment.

Staff HTML is cleaned to the site's allowed tags (`conf.markup.sanitize`); comments are plain
text. Each write ends with `changed()`: the home page shows the latest news and every page's
footer the pages, so the guest page cache is retired.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from fabula.accounts.models import User
from fabula.audit.actions import audit_record
from fabula.conf.markup import sanitize
from fabula.lib import limits
from fabula.lib.changes import changed
from fabula.lib.refusals import ActionRefused, NotAllowed, RateLimited
from fabula.lib.words import tidy_title
from fabula.news.models import Comment, Page, Post

COMMENT_MAX_CHARACTERS = 5000
# The footer's list of pages, kept in the cache (read on every page); retired by page writes.
FOOTER_PAGES_KEY = "fabula:news:footer-pages"


Row = TypeVar("Row", Post, Page)


def _write(
    row: Row, *, title: str, body: str, values: dict[str, object], by: User, action: str
) -> Row:
    """Save a post or page with its title tidied, its HTML cleaned and the other `values`."""
    row.title = tidy_title(title)
    if not row.title:
        raise ActionRefused(_("Give it a title."))
    row.body = sanitize(body)
    for name, value in values.items():
        setattr(row, name, value)
    row.save()
    audit_record(by=by, action=action, target=row)
    return row


@transaction.atomic
def post_save(
    *,
    post: Post | None = None,
    title: str,
    body: str,
    published_at: datetime | None,
    comments_open: bool = True,
    by: User,
) -> Post:
    """Write a news post (a new one when `post` is None); `published_at` None keeps it a
    draft."""
    post = _write(
        post or Post(author=by),
        title=title,
        body=body,
        values={"published_at": published_at, "comments_open": comments_open},
        by=by,
        action="save news post",
    )
    changed()
    return post


@transaction.atomic
def post_delete(*, post: Post, by: User) -> None:
    audit_record(by=by, action="delete news post", target=post)
    post.delete()
    changed()


def comment_post(*, post: Post, user: User, body: str) -> Comment:
    """A member's comment under a published post whose comments are open."""
    if not user.is_active:
        raise NotAllowed(_("Log in to comment."))
    if not post.is_published() or not post.comments_open:
        raise NotAllowed(_("Comments on this post are closed."))
    body = body.strip()
    if not body:
        raise ActionRefused(_("Write something first."))
    if len(body) > COMMENT_MAX_CHARACTERS:
        raise ActionRefused(
            _("A comment holds at most %(most)s characters (this one has %(length)s).")
            % {"most": f"{COMMENT_MAX_CHARACTERS:,}", "length": f"{len(body):,}"}
        )
    if not limits.NEWS_COMMENTS.take(str(user.pk)):
        raise RateLimited(limits.NEWS_COMMENTS.message + ".")
    comment = Comment.objects.create(post=post, user=user, body=body)
    changed()
    return comment


def comment_hide(*, comment: Comment, hidden: bool = True, by: User) -> Comment:
    comment.hidden = hidden
    comment.save(update_fields=["hidden"])
    audit_record(by=by, action="hide comment" if hidden else "unhide comment", target=comment)
    changed()
    return comment


@transaction.atomic
def page_save(
    *,
    page: Page | None = None,
    slug: str,
    title: str,
    body: str,
    published: bool = True,
    in_footer: bool = True,
    position: int = 0,
    by: User,
) -> Page:
    """Write one of the site's own pages (a new one when `page` is None)."""
    slug = slug.strip().lower()
    if not slug:
        raise ActionRefused(_("Give the page an address (its slug: about, rules, faq…)."))
    if Page.objects.filter(slug=slug).exclude(pk=page.pk if page else 0).exists():
        raise ActionRefused(_("There is already a page at /pages/%(slug)s/.") % {"slug": slug})
    page = _write(
        page or Page(),
        title=title,
        body=body,
        values={"slug": slug, "published": published, "in_footer": in_footer, "position": position},
        by=by,
        action="save page",
    )
    _pages_changed()
    return page


@transaction.atomic
def page_delete(*, page: Page, by: User) -> None:
    audit_record(by=by, action="delete page", target=page)
    page.delete()
    _pages_changed()


def _pages_changed() -> None:
    # Now, and again after the commit, in case a page was shown in between from the old rows.
    cache.delete(FOOTER_PAGES_KEY)
    transaction.on_commit(lambda: cache.delete(FOOTER_PAGES_KEY))
    changed()
