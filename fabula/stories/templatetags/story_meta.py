"""`{% story_meta header %}`: eFiction's story information block, as a readable list.

The block every page of a story shows under its title (the index and the whole story): the
summary, the rating, the tags by kind, challenges, series, dates and the stats line. Written in
Python, as a story card is (`listing.cards.card_html`): through the template engine it was a
fifth of a cold story index, most of it the tags' loops and addresses (docs/decisions.md). What
comes from the archive is escaped but the summary, the story's sanitised HTML; the site's own
words print as the `translate` tag printed them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from html import escape

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe

from fabula.stories.listing.cards import Addresses
from fabula.stories.models import Challenge
from fabula.stories.selectors import StoryHeader
from fabula.stories.templatetags.reading import time_element
from fabula.stories.words import story_words
from fabula.taxonomy.models import Tag

register = template.Library()


def _collection_url(challenge: Challenge) -> str:
    """The page of the collection that runs a challenge, or "" (the challenges of eFiction's
    archives have none). The collections app sits above this one: its model is not named here."""
    collection = getattr(challenge, "collection", None)  # a missing one-to-one: AttributeError
    return collection.get_absolute_url() if collection is not None else ""


@register.simple_tag
def story_meta(header: StoryHeader) -> SafeString:
    story = header.story
    text = story_words()
    address = Addresses()

    def links(tags: Iterable[Tag]) -> str:
        """Tags (with their kinds, as the header reads them) as links to their pages, "None"
        when there are none."""
        shown = ", ".join(
            f'<a href="{escape(address("browse-tag", tag.kind.slug, tag.pk))}">'
            f"{escape(tag.name)}</a>"
            for tag in tags
        )
        return shown or text["none"]

    def moment(value: datetime | None) -> str:
        return time_element(value) if value else text["not_yet"]

    language = escape(story.language)
    summary = (
        f'<div class="summary" lang="{language}" dir="auto"><h2 class="visually-hidden">'
        f"{text['summary']}</h2>{story.summary}</div>"
        if story.summary
        else ""
    )
    classes = "".join(
        f"<dt>{escape(line.kind.name)}</dt><dd>{links(line.tags)}</dd>\n    "
        for line in header.class_lines
    )
    freeform = (
        f"<dt>{text['tags']}</dt><dd>{links(header.freeform)}</dd>" if header.freeform else ""
    )
    challenges = ", ".join(
        f'<a href="{escape(url)}">{escape(challenge.title)}</a>'
        if (url := _collection_url(challenge))
        else escape(challenge.title)
        for challenge in header.challenges
    )
    series = ", ".join(
        f'<a href="{escape(address("series", each.pk))}">{escape(each.title)}</a>'
        for each in header.series
    )
    reviews = (
        f'<a href="{escape(address("community:story-reviews", story.pk))}">'
        f"{escape(intcomma(story.review_count))}</a>"
        if story.review_count
        else "0"
    )
    chapters = escape(formats.localize(story.chapter_count))
    rating_url = escape(address("browse-rating", story.rating_id))
    return mark_safe(f"""
<section class="story-meta" aria-label="{text["about"]}">
  {summary}
  <dl>
    <dt>{text["rated"]}</dt><dd><a href="{rating_url}">{escape(story.rating.name)}</a></dd>
    <dt>{text["categories"]}</dt><dd>{links(header.categories)}</dd>
    <dt>{text["characters"]}</dt><dd>{links(header.characters)}</dd>
    {classes}
    {freeform}
    <dt>{text["challenges"]}</dt><dd>{challenges or text["none"]}</dd>
    <dt>{text["series"]}</dt><dd>{series or text["none"]}</dd>
    <dt>{text["completed"]}</dt><dd>{text["yes"] if story.completed else text["no"]}</dd>
    <dt>{text["published"]}</dt><dd>{moment(story.published_at)}</dd>
    <dt>{text["updated"]}</dt><dd>{moment(story.updated_at)}</dd>
  </dl>
  <dl class="stats-line" aria-label="{text["stats"]}">
    <div><dt>{text["words"]}</dt><dd>{escape(intcomma(story.word_count))}</dd></div>
    <div><dt>{text["chapters"]}</dt><dd>{chapters}/{chapters if story.completed else "?"}</dd></div>
    <div><dt>{text["kudos"]}</dt><dd>{escape(intcomma(story.kudos_count))}</dd></div>
    <div><dt>{text["favourites"]}</dt><dd>{escape(intcomma(story.favourite_count))}</dd></div>
    <div><dt>{text["reviews"]}</dt><dd>{reviews}</dd></div>
    <div><dt>{text["hits"]}</dt><dd>{escape(intcomma(story.read_count))}</dd></div>
  </dl>
</section>
""")
