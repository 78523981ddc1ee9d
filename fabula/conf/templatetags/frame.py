"""`{% frame "header" %}` and `{% frame "footer" %}`: the site's frame around every page.

The frame (the site's name, search box, menus, links, the language switcher) is the same for
every guest reading in one language, except for the address asked, which the log-in link and
the language switcher carry back. For guests it is rendered once per language and content
generation (`pagecache.guest_fragment`) with markers where that address goes, and each page
puts its own address in: a cold page spends its time on what is its own. Members' frames hold
their name, menus and alerts, and are rendered for each page.
"""

from __future__ import annotations

from urllib.parse import quote

from django import template
from django.template import Context, Engine
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from fabula.conf.models import site_settings
from fabula.lib.pagecache import guest_fragment

register = template.Library()

# Stand-ins for the address asked, made of characters no escaping changes.
_HERE = "FABULAFRAMEPATH"
_HERE_URL = "FABULAFRAMEQUOTEDPATH"


def _here_url(here: str) -> str:
    """The address as `?next=` carries it: Django's `urlencode` filter."""
    return quote(here, safe="/")


def _template(part: str) -> template.Template:
    return Engine.get_default().get_template(f"frame/{part}.html")


@register.simple_tag(takes_context=True)
def frame(context: Context, part: str) -> SafeString:
    request = context["request"]
    here = request.get_full_path()
    # The auth context processor's user: an error page built before the middleware ran has a
    # request without one.
    user = context.get("user")
    if user is not None and user.is_authenticated:
        with context.push(here=here, here_url=_here_url(here)):
            return mark_safe(_template(part).render(context))

    def render() -> str:
        # Only what every guest shares: nothing of the page around it can slip into the part
        # all guests are then shown.
        shared = Context(
            {
                "user": user,
                "site_settings": site_settings(),
                "here": _HERE,
                "here_url": _HERE_URL,
            },
            autoescape=context.autoescape,
        )
        return _template(part).render(shared)

    fragment = guest_fragment(part, render)
    return mark_safe(
        fragment.replace(_HERE_URL, escape(_here_url(here))).replace(_HERE, escape(here))
    )
