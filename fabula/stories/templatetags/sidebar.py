"""The filter sidebar's tag rows (`stories/includes/listing_filters.html`)."""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from fabula.stories.listing.filters import TagGroup

register = template.Library()


@register.simple_tag
def tag_choice_rows(group: TagGroup) -> SafeString:
    """A row per tag of the group: include and exclude boxes, the name and its count. Written in
    Python: 25 rows of two translated labels each were a tenth of a cold category page."""
    # The translations escaped, then the escaped name put in ("%(tag)s" escapes to itself).
    include, exclude = escape(gettext("Include %(tag)s")), escape(gettext("Exclude %(tag)s"))
    rows = []
    for choice in group.choices:
        value, label = escape(choice.value), escape(choice.label)
        include_label, exclude_label = include % {"tag": label}, exclude % {"tag": label}
        rows.append(
            f'<tr><td><input type="checkbox" name="tag" value="{value}"'
            f' aria-label="{include_label}"{" checked" if choice.included else ""}></td>'
            f'<td><input type="checkbox" name="xtag" value="{value}"'
            f' aria-label="{exclude_label}"{" checked" if choice.excluded else ""}></td>'
            f'<td>{label} <span class="count">({choice.count:d})</span></td></tr>'
        )
    return mark_safe("\n    ".join(rows))
