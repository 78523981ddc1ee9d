"""`{% latest_news %}` on the home page and `{% footer_pages %}` in every page's footer: the
news app's parts of pages that other apps own, so those apps need not import this one."""

from __future__ import annotations

from django import template

from fabula.news import selectors

register = template.Library()


@register.inclusion_tag("news/includes/latest.html")
def latest_news() -> dict:
    return {"posts": selectors.latest_posts()}


@register.inclusion_tag("news/includes/footer_pages.html")
def footer_pages() -> dict:
    return {"pages": selectors.footer_pages()}
