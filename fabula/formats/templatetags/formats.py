"""`{% download_links story %}`: a story page's download links, one per downloadable format of
the registry (`Format.download_label`), so a new format needs no template change."""

from __future__ import annotations

from django import template

from fabula.formats.registry import downloadable_formats

register = template.Library()


@register.inclusion_tag("formats/download_links.html")
def download_links(story) -> dict:
    return {"story": story, "formats": downloadable_formats().values()}
