"""Authors at work through a write token: post a story, edit it, submit a draft, add and edit
chapters. Input is checked by the very forms of the authoring pages (`StoryForm`,
`ChapterForm`: the same limits, HTML or Markdown through the same sanitiser), who may is
`stories.permissions`, and the write is the same action the page calls, so the validation
queue, the audit log and every count follow unchanged."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from ninja import Status

from fabula.api.problems import Problem
from fabula.api.reading import ERRORS, acting_member
from fabula.api.routes import router
from fabula.api.shapes import Id, Shape
from fabula.api.tokens import writer
from fabula.stories import actions
from fabula.stories.forms import ChapterForm, StoryForm, error_text
from fabula.stories.models import Chapter, Story
from fabula.stories.permissions import can_edit_story, can_post, story_for
from fabula.taxonomy.models import Tag

TAGS = ["authoring"]

TextFormat = Literal["html", "markdown"]


class StoryIn(Shape):
    title: str
    rating_id: Id
    summary: str = ""
    notes: str = ""
    tag_ids: list[Id] = []
    freeform: list[str] = []
    completed: bool = False


class ChapterIn(Shape):
    title: str = ""
    body: str
    text_format: TextFormat = "html"
    notes: str = ""
    end_notes: str = ""


class NewChapterIn(ChapterIn):
    release_at: datetime | None = None


class NewStoryIn(StoryIn):
    chapter: NewChapterIn
    publish: bool = False


class WorkOut(Shape):
    id: int
    status: str
    url: str


def _refuse(form) -> None:
    if not form.is_valid():
        raise Problem(422, "Invalid input", error_text(form))


def _story_form(data: StoryIn) -> StoryForm:
    """`StoryForm` filled from JSON: the tags go to the field of their kind."""
    fields: dict[str, str | list[int]] = {
        "title": data.title,
        "rating": str(data.rating_id),
        "summary": data.summary,
        "notes": data.notes,
        "freeform": ", ".join(data.freeform),
        "completed": "on" if data.completed else "",
    }
    form = StoryForm()
    tags = {tag.pk: tag for tag in Tag.objects.filter(pk__in=data.tag_ids).select_related("kind")}
    unknown = [str(pk) for pk in data.tag_ids if pk not in tags]
    if unknown:
        raise Problem(422, "Invalid input", f"No such tag: {', '.join(unknown)}.")
    for tag in tags.values():
        field = StoryForm.tag_field(tag.kind)
        if field not in form.fields:
            raise Problem(422, "Invalid input", f"“{tag.name}” is not a tag a story chooses.")
        chosen = fields.setdefault(field, [])
        assert isinstance(chosen, list)
        chosen.append(tag.pk)
    form = StoryForm(_as_post(fields))
    _refuse(form)
    return form


def _chapter_form(data: ChapterIn, *, with_schedule: bool) -> ChapterForm:
    fields: dict[str, object] = {
        "title": data.title,
        "body": data.body,
        "text_format": data.text_format,
        "notes": data.notes,
        "end_notes": data.end_notes,
    }
    release_at = getattr(data, "release_at", None)
    if release_at is not None:
        fields["release_at"] = release_at.strftime("%Y-%m-%dT%H:%M:%S")
    form = ChapterForm(_as_post(fields), with_schedule=with_schedule)
    _refuse(form)
    return form


def _as_post(fields: Mapping[str, object]) -> QueryDict:
    """JSON fields as the form data a page would post."""
    post = QueryDict(mutable=True)
    for name, value in fields.items():
        if isinstance(value, list):
            post.setlist(name, [str(v) for v in value])
        elif value is not None:
            post[name] = str(value)
    return post


def _work(request, work: Story | Chapter, status: str) -> dict:
    """What a write answers: the story's or chapter's id, status and address."""
    return {
        "id": work.pk,
        "status": status,
        "url": request.build_absolute_uri(work.get_absolute_url()),
    }


@router.post("/stories", tags=TAGS, auth=writer, response={201: WorkOut, **ERRORS})
def post_story(request, data: NewStoryIn):
    """Post a story with its first chapter, as a draft, or submitted (`publish`): published at
    once, or waiting in the validation queue, as the site's rules decide for you."""
    user = acting_member(request)
    if not can_post(user):
        raise PermissionDenied("Posting is closed, or your account is locked.")
    story_form = _story_form(data)
    chapter_form = _chapter_form(data.chapter, with_schedule=True)
    story = actions.story_post(
        by=user, **story_form.description(), **chapter_form.first_chapter(), publish=data.publish
    )
    return Status(201, _work(request, story, story.status))


@router.put("/stories/{story_id}", tags=TAGS, auth=writer, response={200: WorkOut, **ERRORS})
def edit_story(request, story_id: Id, data: StoryIn):
    """Change what describes a story (its title, rating, summary, notes, tags)."""
    acting_member(request)
    story = story_for(request, story_id, need=can_edit_story, load="credits")
    form = _story_form(data)
    actions.story_update(story=story, **form.description(), by=request.user)
    return _work(request, story, story.status)


@router.post(
    "/stories/{story_id}/submit", tags=TAGS, auth=writer, response={200: WorkOut, **ERRORS}
)
def submit_story(request, story_id: Id):
    """Take a draft out of the drawer: published, or sent to the validation queue."""
    acting_member(request)
    story = story_for(request, story_id, need=can_edit_story, load="credits")
    status = actions.story_submit(story=story, by=request.user)
    return _work(request, story, status)


@router.post(
    "/stories/{story_id}/chapters", tags=TAGS, auth=writer, response={201: WorkOut, **ERRORS}
)
def post_chapter(request, story_id: Id, data: NewChapterIn):
    """Add a chapter at the end. On a public story it is published, or waits for validation
    if your work does; on a draft it is a draft."""
    acting_member(request)
    story = story_for(request, story_id, need=can_edit_story, load="credits")
    form = _chapter_form(data, with_schedule=True)
    chapter = actions.chapter_post(story=story, by=request.user, **form.writing())
    return Status(201, _work(request, chapter, chapter.status))


@router.put(
    "/stories/{story_id}/chapters/{position}",
    tags=TAGS,
    auth=writer,
    response={200: WorkOut, **ERRORS},
)
def edit_chapter(request, story_id: Id, position: Id, data: ChapterIn):
    """Change a chapter's title, text and notes (the chapter at this place in the story)."""
    acting_member(request)
    story = story_for(request, story_id, need=can_edit_story, load="credits")
    chapter = story.chapters.filter(position=position).first()
    if chapter is None:
        raise Http404("No such chapter.")
    form = _chapter_form(data, with_schedule=False)
    actions.chapter_update(chapter=chapter, by=request.user, **form.writing())
    return _work(request, chapter, chapter.status)
