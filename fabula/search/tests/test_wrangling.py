"""Item 1 of issue 14, "Done when": a canonical tag with two synonyms and a child shows the right
counts everywhere (its page, the kinds' page, the browse filter including and excluding it,
search's `tag:`, its Atom and OPDS feeds, the API), immediately after each wrangling step, with
no reindex.

The wrangling actions run inside `indexed()`, so the index work they queue for the commit runs
as it would on a site; nothing else re-indexes."""

import json

import pytest
from django.urls import reverse

from fabula.stories.actions import tag_merge
from fabula.taxonomy import actions
from fabula.taxonomy.models import TagKind


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def counts(client, tag, kind) -> dict[str, int]:
    """How many stories each surface says count as `tag`."""
    page = client.get(reverse("browse-tag", args=[kind.slug, tag.pk]))
    assert page.status_code == 200
    kind_page = client.get(reverse("browse-kind", args=[kind.slug]))
    on_kind_page = next(n.count for n in kind_page.context["tags"] if n.tag.pk == tag.pk)
    include = client.get(reverse("browse"), {"tag": tag.pk}).context["listing"].total
    exclude = client.get(reverse("browse"), {"xtag": tag.pk}).context["listing"].total
    search = client.get(reverse("search:results"), {"q": f'tag:"{tag.name}"'})
    feed = client.get(reverse("feed-tag", args=[tag.pk])).content.decode().count("<entry>")
    opds = client.get(reverse("opds-tag", args=[tag.pk])).content.decode().count("<entry>")
    api = json.loads(client.get(f"/api/v1/tags/{tag.pk}").content)["story_count"]
    api_list = json.loads(client.get(f"/api/v1/tags/{tag.pk}/stories").content)
    return {
        "page": page.context["listing"].total,
        "kind page": on_kind_page,
        "include": include,
        "exclude": exclude,
        "search": search.context["results"].total,
        "feed": feed,
        "opds": opds,
        "api": api,
        "api list": api_list["count"],
    }


def everywhere(n: int, total: int) -> dict[str, int]:
    return {
        "page": n,
        "kind page": n,
        "include": n,
        "exclude": total - n,
        "search": n,
        "feed": n,
        "opds": n,
        "api": n,
        "api list": n,
    }


def test_a_canonical_tag_with_two_synonyms_and_a_child_counts_right_at_each_step(
    client, author, admin_user, write_story, indexed, archive
):
    kind = TagKind.objects.create(slug="tags", name="Tags", role=TagKind.Role.FREEFORM)
    [keepers, lighthouse, keeper, lens, other] = actions.freeform_tags(
        names=["Lighthouses & Keepers", "Lighthouse", "Keeper", "Fresnel Lenses", "Rowing"]
    )
    for title, tag in [
        ("Lamp", keepers),
        ("Tower", lighthouse),
        ("Watch", keeper),
        ("Glass", lens),
        ("Oars", other),
    ]:
        write_story(author, title, tags=[archive.fandom, tag])
    total = 5
    assert counts(client, keepers, kind) == everywhere(1, total)

    with indexed():
        actions.tag_make_canonical(tag=keepers, by=admin_user)
        actions.tag_make_synonym(tag=lighthouse, of=keepers, by=admin_user)
    assert counts(client, keepers, kind) == everywhere(2, total)
    # The synonym's page is its canonical's; its name finds the canonical's stories too.
    synonym_page = client.get(reverse("browse-tag", args=[kind.slug, lighthouse.pk]))
    assert synonym_page["Location"] == reverse("browse-tag", args=[kind.slug, keepers.pk])
    found = client.get(reverse("search:results"), {"q": "tag:lighthouse"}).context["results"]
    assert sorted(hit.card.story.title for hit in found.hits) == ["Lamp", "Tower"]

    with indexed():
        actions.tag_make_synonym(tag=keeper, of=keepers, by=admin_user)
    assert counts(client, keepers, kind) == everywhere(3, total)

    with indexed():
        actions.tag_set_parent(tag=lens, parent=keepers, by=admin_user)
    assert counts(client, keepers, kind) == everywhere(4, total)
    page = client.get(reverse("browse-tag", args=[kind.slug, keepers.pk])).content.decode()
    assert "Lighthouse, Keeper" in page or "Keeper, Lighthouse" in page  # its synonyms
    assert "Fresnel Lenses" in page  # its child

    with indexed():
        actions.tag_rename(tag=keepers, name="Lighthouse Keepers", by=admin_user)
    keepers.refresh_from_db()
    assert counts(client, keepers, kind) == everywhere(4, total)

    with indexed():
        moved = tag_merge(tag=other, into=keepers, by=admin_user)
    assert moved == 1
    assert counts(client, keepers, kind) == everywhere(5, total)

    with indexed():
        actions.tag_set_parent(tag=lens, parent=None, by=admin_user)
        actions.tag_make_canonical(tag=keeper, by=admin_user)
    assert counts(client, keepers, kind) == everywhere(3, total)


def test_a_tag_deleted_in_the_admin_leaves_its_stories_pages_and_search_at_once(
    client, author, admin_user, write_story, indexed, archive
):
    TagKind.objects.create(slug="tags", name="Tags", role=TagKind.Role.FREEFORM)
    [doomed, kept] = actions.freeform_tags(names=["Doomed Tag", "Kept Tag"])
    story = write_story(author, "Tagged", tags=[archive.fandom, doomed, kept])
    index = reverse("story", args=[story.pk])
    assert "Doomed Tag" in client.get(index).content.decode()  # its header kept from here on

    def found(q: str) -> list[str]:
        results = client.get(reverse("search:results"), {"q": q}).context["results"]
        return [hit.card.story.title for hit in results.hits]

    assert found("doomed") == found('tag:"Doomed Tag"') == ["Tagged"]
    admin = type(client)()
    admin.force_login(admin_user)
    with indexed():
        response = admin.post(
            reverse("admin:taxonomy_tag_delete", args=[doomed.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert "Doomed Tag" not in client.get(index).content.decode()
    assert found("doomed") == found('tag:"Doomed Tag"') == []
    assert found('tag:"Kept Tag"') == found("kept") == ["Tagged"]
    # The change list's "delete selected" too.
    with indexed():
        response = admin.post(
            reverse("admin:taxonomy_tag_changelist"),
            {"action": "delete_selected", "_selected_action": [kept.pk], "post": "yes"},
        )
    assert response.status_code == 302
    assert "Kept Tag" not in client.get(index).content.decode()
    assert found("kept") == []
