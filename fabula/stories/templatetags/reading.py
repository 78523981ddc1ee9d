"""Template tags for reader pages: dates in the archive's own format, text size, the chapter
menu and a story's contents."""

import html
from collections.abc import Sequence
from datetime import date, datetime

from django import template
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils import dateformat, formats, timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext, pgettext

from fabula.conf.models import site_settings
from fabula.lib.dates import format_php_date
from fabula.stories.models import Status
from fabula.stories.templatetags.bylines import chapter_byline

register = template.Library()


@register.filter
def site_date(value: date | datetime | None) -> str:
    """A date in the format the administrator chose (SiteSettings.date_format, eFiction's PHP
    format, written for English), local time; in another interface language, that language's
    own date format ("6. Dezember 2026")."""
    if not value:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if translation.get_language() != settings.LANGUAGE_CODE:
        return formats.date_format(value, "DATE_FORMAT")
    return format_php_date(value, site_settings().date_format)


def time_element(moment: datetime) -> str:
    """A moment as HTML: `<time>` with its ISO form for machines and the site's date for
    readers (`site_date`), both escaped, as a template's `|date:'c'` and `|site_date` print
    them."""
    machine = html.escape(dateformat.format(timezone.localtime(moment), "c"))
    return f'<time datetime="{machine}">{html.escape(site_date(moment))}</time>'


@register.filter
def text_scale(percent: int | str | None) -> str:
    """A member's text size preference (100 = normal) as the CSS scale factor: 120 -> "1.2"."""
    if percent is None:
        return "1"
    try:
        return f"{max(50, min(int(percent), 300)) / 100:g}"
    except (TypeError, ValueError):
        return "1"


@register.simple_tag
def chapter_options(chapters: Sequence, current: int) -> SafeString:
    """The "go to chapter" menu's options: each chapter's position, its number and title, the
    chapter whose id is `current` selected. Written in Python, not a template loop: a story of
    many chapters made the loop a fifth of a cold chapter page's templates. Only the title is
    text (escaped as Django's `escape` does); the rest are numbers."""
    return mark_safe(
        "\n        ".join(
            f'<option value="{each.position:d}"{" selected" if each.pk == current else ""}>'
            f"{number}. {html.escape(each.title)}</option>"
            for number, each in enumerate(chapters, 1)
        )
    )


@register.simple_tag
def contents_entries(story, chapters: Sequence, authors: Sequence) -> SafeString:
    """A story's contents (its index page): a numbered entry per chapter with its link, writer,
    words, a badge when not public yet and its notes. Written in Python, as the chapter menu is:
    the template's loop was a third of a cold story index."""
    # As the template's tags print them: the site's own words as they are translated, what
    # comes from the archive escaped.
    by = pgettext("written by", "by")
    entries = []
    for number, chapter in enumerate(chapters, 1):
        url = html.escape(reverse("chapter", args=[story.pk, chapter.pk]))
        words = ngettext("%(words)s word", "%(words)s words", chapter.word_count) % {
            "words": html.escape(intcomma(chapter.word_count))
        }
        badge = ""
        if getattr(chapter, "unreleased", False):
            status = (
                html.escape(chapter.get_status_display())
                if chapter.status != Status.PUBLISHED
                else gettext("Scheduled")
            )
            badge = f'\n      <span class="badge status">{status}</span>'
        notes = f'\n      <div class="chapter-notes">{chapter.notes}</div>' if chapter.notes else ""
        entries.append(
            f'    <li value="{number}">\n'
            f'      <a href="{url}">{html.escape(chapter.title)}</a>\n'
            f'      <span class="muted">{by} {chapter_byline(chapter, authors, story)}'
            f" · {words}</span>{badge}{notes}\n"
            "    </li>"
        )
    return mark_safe("\n".join(entries))
