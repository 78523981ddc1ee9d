"""The import's last stage: the search index of the imported stories, built in one pass, and
finished by a rerun when it was interrupted."""

from __future__ import annotations

import json
import shutil
import threading

import pytest
from django.db import connection
from django.urls import reverse

from fabula.importers.dump import Dump
from fabula.importers.load import INDEXED, Loader, load_dump
from fabula.importers.models import ImportRecord
from fabula.search import indexing
from fabula.search.backends import backend
from fabula.stories.models import Chapter, Status


def index_texts() -> dict[int, str]:
    chapter_ids = list(Chapter.objects.values_list("pk", flat=True))
    return backend().texts(chapter_ids)


def published_chapters(**where) -> int:
    return Chapter.objects.filter(status=Status.PUBLISHED, **where).count()


def test_the_index_is_built_after_the_load_and_equals_a_rebuild(db, fixture_dump):
    loader = Loader(fixture_dump)
    loader.load()
    assert backend().count() == 0  # the hooks were paused while loading
    report = loader.index()
    assert report.indexed_stories == 30 and report.indexed_chapters == published_chapters()
    assert any(line.split()[:4] == ["search", "index", "30", "stories"] for line in report.lines())
    assert ImportRecord.objects.filter(kind=INDEXED).count() == 30
    imported = index_texts()
    assert indexing.rebuild() == len(imported)
    assert index_texts() == imported


def test_the_imported_stories_are_found(client, settings, imported):
    settings.PAGE_CACHE_SECONDS = 0
    response = client.get(reverse("search:results"), {"q": "Temptation Halpert"})
    assert response.status_code == 200
    titles = [hit.card.story.title for hit in response.context["results"].hits]
    assert "The Last Temptation of Jim Halpert" in titles


def test_an_interrupted_index_stage_is_finished_by_the_rerun(db, fixture_dump, monkeypatch):
    monkeypatch.setattr(indexing, "BATCH", 10)
    real, calls = indexing.index_stories, {"n": 0}

    def killed_in_the_second_batch(story_ids):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt("killed")
        return real(story_ids)

    monkeypatch.setattr(indexing, "index_stories", killed_in_the_second_batch)
    with pytest.raises(KeyboardInterrupt):
        load_dump(fixture_dump)
    assert ImportRecord.objects.filter(kind=INDEXED).count() == 10
    monkeypatch.setattr(indexing, "index_stories", real)
    report = load_dump(fixture_dump)
    assert report.indexed_stories == 20
    assert report.kinds["chapters"].imported == 0
    assert backend().count() == published_chapters()
    again = load_dump(fixture_dump)
    assert (again.indexed_stories, again.indexed_chapters) == (0, 0)


def test_a_chapter_a_later_run_adds_is_indexed(db, fixture_dump, tmp_path):
    """The first run lacks chapter 2 (say its file was missing); the rerun of the whole dump
    adds it to story 1, indexed by then: the story is indexed again."""
    folder = tmp_path / "without-chapter-2"
    shutil.copytree(fixture_dump.folder, folder)
    path = folder / "chapters.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text(
        "\n".join(line for line in lines if json.loads(line)["id"] != 2) + "\n", encoding="utf-8"
    )
    load_dump(Dump(folder))
    assert 2 not in index_texts()
    report = load_dump(fixture_dump)
    assert report.kinds["chapters"].imported == 1
    assert (report.indexed_stories, report.indexed_chapters) == (1, published_chapters(story_id=1))
    assert 2 in index_texts()
    assert backend().count() == published_chapters()


def test_outside_a_transaction_the_index_is_written_by_several_connections(
    transactional_db, fixture_dump, monkeypatch
):
    """The import command's case (the other tests run inside a transaction, which other
    connections cannot see into): on PostgreSQL, worker threads write the batches."""
    monkeypatch.setattr(indexing, "BATCH", 4)
    real, threads = indexing.index_stories, set()

    def noting_the_thread(story_ids):
        threads.add(threading.get_ident())
        return real(story_ids)

    monkeypatch.setattr(indexing, "index_stories", noting_the_thread)
    report = load_dump(fixture_dump)
    if connection.vendor == "postgresql":
        assert threading.get_ident() not in threads
    assert (report.indexed_stories, report.indexed_chapters) == (30, published_chapters())
    assert backend().count() == published_chapters()
    assert ImportRecord.objects.filter(kind=INDEXED).count() == 30
