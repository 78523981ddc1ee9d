"""Authors at work through a write token: post a story (as a draft or submitted), edit it,
list their own stories and drafts, submit a draft, add, edit, reorder and schedule chapters.
Input is checked by the very forms of the authoring pages (`StoryForm`, `ChapterForm`,
`ScheduleForm`: the same limits, HTML or Markdown through the same sanitiser), who may is
`stories.permissions`, and the write is the same action the page calls, so the validation
queue, the audit log and every count follow unchanged."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from django.utils import timezone
from ninja import Query, Status
from pydantic import Field

from fabula.api.problems import Problem
from fabula.api.reading import ERRORS, PageParams, acting_member
from fabula.api.responses import page_of, respond
from fabula.api.routes import router
from fabula.api.shapes import Id, Shape, page_schema
from fabula.api.tokens import member, writer
from fabula.stories import actions
from fabula.stories.forms import ChapterForm, ScheduleForm, StoryForm, error_text
from fabula.stories.models import Chapter, Story
from fabula.stories.models import Status as WorkStatus
from fabula.stories.permissions import can_edit_story, can_post, story_for
from fabula.stories.selectors import author_desk
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
    # Left out (null): a new story's default, or what an edited story has now.
    language: str | None = Field(
        None, description="A language code (en, fr, pt-br…); new stories default to the site's."
    )
    locked: bool | None = Field(None, description="For members only: kept from guests.")
    reading_only: bool | None = Field(
        None, description="For reading on the site only: no downloads, feeds or OPDS."
    )


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


class MyStoryOut(WorkOut):
    title: str
    chapter_count: int
    updated_at: datetime | None


class MyStoriesParams(PageParams):
    status: Literal["draft", "pending", "published", "hidden"] | None = None


class OrderIn(Shape):
    order: list[Id] = Field(max_length=10_000)


class ScheduleIn(Shape):
    release_at: datetime | None


def _refuse(form) -> None:
    if not form.is_valid():
        raise Problem(422, "Invalid input", error_text(form))


def _story_form(data: StoryIn, story: Story | None = None) -> StoryForm:
    """`StoryForm` filled from JSON: the tags go to the field of their kind; the language,
    locking and reading-only the request leaves out stay as the edited `story` has them."""
    kept = StoryForm.initial_for(story) if story is not None else {}

    def ticked(value: bool | None, name: str) -> str:
        return "on" if (kept.get(name, False) if value is None else value) else ""

    fields: dict[str, str | list[int]] = {
        "title": data.title,
        "rating": str(data.rating_id),
        "summary": data.summary,
        "notes": data.notes,
        "freeform": ", ".join(data.freeform),
        "completed": "on" if data.completed else "",
        "language": data.language if data.language is not None else kept.get("language", ""),
        "locked": ticked(data.locked, "locked"),
        "reading_only": ticked(data.reading_only, "reading_only"),
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
    form = StoryForm(_as_post(fields), initial=kept)
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
    fields["release_at"] = _form_time(getattr(data, "release_at", None))
    form = ChapterForm(_as_post(fields), with_schedule=with_schedule)
    _refuse(form)
    return form


def _form_time(when: datetime | None) -> str | None:
    """A time as a form's field holds it: in the site's time zone, where the form reads it
    (an offset the client gave is honoured, not dropped)."""
    if when is None:
        return None
    if timezone.is_aware(when):
        when = timezone.localtime(when)
    return when.strftime("%Y-%m-%dT%H:%M:%S")


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
    """Change what describes a story (its title, rating, summary, notes, tags, language, and
    whether it is locked to members or for reading here only: left out, these stay as they
    are)."""
    acting_member(request)
    story = story_for(request, story_id, need=can_edit_story, load="credits")
    form = _story_form(data, story)
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
    chapter = _chapter_at(story, position)
    form = _chapter_form(data, with_schedule=False)
    actions.chapter_update(chapter=chapter, by=request.user, **form.writing())
    return _work(request, chapter, chapter.status)


def _chapter_at(story: Story, position: int) -> Chapter:
    chapter = story.chapters.filter(position=position).first()
    if chapter is None:
        raise Http404("No such chapter.")
    return chapter


@router.put(
    "/stories/{story_id}/chapter-order", tags=TAGS, auth=writer, response={200: WorkOut, **ERRORS}
)
def reorder_chapters(request, story_id: Id, data: OrderIn):
    """Put the story's chapters in a new order: `order` lists every chapter's id (as the story
    object gives them) once, first to last. A chapter keeps its id and address."""
    acting_member(request)
    story = story_for(request, story_id, need=can_edit_story, load="credits")
    actions.chapter_reorder(story=story, order=data.order, by=request.user)
    return _work(request, story, story.status)


@router.put(
    "/stories/{story_id}/chapters/{position}/schedule",
    tags=TAGS,
    auth=writer,
    response={200: WorkOut, **ERRORS},
)
def schedule_chapter(request, story_id: Id, position: Id, data: ScheduleIn):
    """Hold a chapter back until `release_at` (a time in the future; without an offset it is
    the site's time zone), or release it now (`release_at`: null)."""
    acting_member(request)
    story = story_for(request, story_id, need=can_edit_story, load="credits")
    chapter = _chapter_at(story, position)
    form = ScheduleForm(_as_post({"release_at": _form_time(data.release_at)}))
    _refuse(form)
    actions.chapter_schedule(
        chapter=chapter, release_at=form.cleaned_data["release_at"], by=request.user
    )
    return _work(request, chapter, chapter.status)


@router.get(
    "/me/stories",
    tags=TAGS,
    auth=member,
    response={200: page_schema(MyStoryOut, "MyStoryPage"), **ERRORS},
)
def my_stories(request, params: Query[MyStoriesParams]):
    """Your own stories, whatever their status, newest first (your "My stories" page);
    `status=draft` lists your drafts. A draft is published with POST …/submit."""
    user = acting_member(request)
    stories = author_desk(user).stories
    if params.status:
        stories = stories.filter(status=WorkStatus(params.status))
    one = page_of(request, stories)
    results = [
        {
            **_work(request, story, story.status),
            "title": story.title,
            "chapter_count": story.chapter_count,
            "updated_at": story.updated_at.isoformat() if story.updated_at else None,
        }
        for story in one.items
    ]
    return respond(request, one.body(results), links=one.links)
