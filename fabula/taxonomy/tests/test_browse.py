"""Browsing by category, character, class and rating."""

from __future__ import annotations

import re

from django.urls import reverse

from fabula.taxonomy.models import Tag
from fabula.test import set_site


def page_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def count_after(page: str, label: str) -> int:
    match = re.search(re.escape(label) + r'</a> <span class="count">(\d+)</span>', page)
    assert match, label
    return int(match.group(1))


def test_categories_are_a_tree_with_counts_including_sub_categories(
    client, make_story, author, archive
):
    archive.fandom.description = "Stories set at Dunder Mifflin."
    archive.fandom.save()
    make_story(author, "Parent Only", tags=[archive.fandom])
    make_story(author, "Child Only", tags=[archive.subfandom])
    make_story(author, "Both", tags=[archive.fandom, archive.subfandom])
    make_story(author, "Elsewhere", tags=[archive.other_fandom])
    page = page_of(client, reverse("browse-kind", args=["categories"]))
    assert count_after(page, "The Office") == 3  # "Both" counts once
    assert count_after(page, "Jim and Pam") == 2
    assert count_after(page, "Parks and Recreation") == 1
    assert "Stories set at Dunder Mifflin." in page
    # Roots in name order; the sub-category sits in a list inside its parent's item.
    office = page.index(">The Office<")
    assert page.index(">Parks and Recreation<") < office
    assert office < page.index("<ul", office) < page.index(">Jim and Pam<")


def test_a_category_holds_its_sub_categories_stories(client, make_story, author, archive):
    for title, tag in [
        ("Parent Only", archive.fandom),
        ("Child Only", archive.subfandom),
        ("Elsewhere", archive.other_fandom),
    ]:
        make_story(author, title, tags=[tag])
    page = page_of(client, reverse("browse-tag", args=["categories", archive.fandom.pk]))
    assert "Parent Only" in page and "Child Only" in page and "Elsewhere" not in page
    assert "Sub-categories" in page and count_after(page, "Jim and Pam") == 1
    child = page_of(client, reverse("browse-tag", args=["categories", archive.subfandom.pk]))
    assert "Child Only" in child and "Parent Only" not in child
    assert (
        f'href="{reverse("browse-tag", args=["categories", archive.fandom.pk])}">The Office</a> ›'
        in child
    )


def test_other_kinds_list_their_tags_with_counts(client, make_story, author, archive):
    make_story(author, "Jim Story", tags=[archive.fandom, archive.jim, archive.angst])
    make_story(
        author, "Pam Story", tags=[archive.fandom, archive.pam, archive.angst, archive.humor]
    )
    genres = page_of(client, reverse("browse-kind", args=["genres"]))
    assert count_after(genres, "Angst") == 2 and count_after(genres, "Humor") == 1
    characters = page_of(client, reverse("browse-kind", args=["characters"]))
    assert count_after(characters, "Jim") == 1 and count_after(characters, "Pam") == 1
    jim = page_of(client, reverse("browse-tag", args=["characters", archive.jim.pk]))
    assert "Jim Story" in jim and "Pam Story" not in jim
    humor = page_of(client, reverse("browse-tag", args=["genres", archive.humor.pk]))
    assert "Pam Story" in humor and "Jim Story" not in humor


def test_tag_pages_sort_and_paginate(client, make_story, author, archive):
    set_site(items_per_page=2)
    for title in ["Cee", "Bee", "Ay"]:
        make_story(author, title, tags=[archive.jim])
    url = reverse("browse-tag", args=["characters", archive.jim.pk])
    first = page_of(client, url + "?sort=title")
    assert first.index(">Ay<") < first.index(">Bee<") and ">Cee<" not in first
    assert ">Cee<" in page_of(client, url + "?sort=title&page=2")
    assert client.get(url + "?page=3").status_code == 404
    assert ">Ay<" in page_of(client, url + "?sort=bogus&page=bogus")


def test_a_synonym_leads_to_its_canonical_tag(client, archive):
    synonym = Tag.objects.create(kind=archive.character, name="Jimbo", synonym_of=archive.jim)
    response = client.get(reverse("browse-tag", args=["characters", synonym.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("browse-tag", args=["characters", archive.jim.pk])
    assert "Jimbo" not in page_of(client, reverse("browse-kind", args=["characters"]))


def test_ratings_list_and_detail(client, make_story, author, reader, archive):
    make_story(author, "Gentle", rating=archive.general)
    make_story(author, "Restricted", rating=archive.members_only)
    ratings = page_of(client, reverse("ratings"))
    assert count_after(ratings, "G") == 1 and count_after(ratings, "R") == 0
    assert "Members only" in ratings and "Age check" in ratings
    assert "Gentle" in page_of(client, reverse("browse-rating", args=[archive.general.pk]))
    members = page_of(client, reverse("browse-rating", args=[archive.members_only.pk]))
    assert "Restricted" not in members and "for members only" in members
    client.force_login(reader)
    assert "Restricted" in page_of(client, reverse("browse-rating", args=[archive.members_only.pk]))


def test_unknown_kinds_and_tags_are_404(client, archive):
    assert client.get(reverse("browse-kind", args=["nope"])).status_code == 404
    assert client.get(reverse("browse-tag", args=["nope", archive.jim.pk])).status_code == 404
    assert client.get(reverse("browse-tag", args=["characters", 999999])).status_code == 404
    assert client.get(reverse("browse-rating", args=[999999])).status_code == 404
