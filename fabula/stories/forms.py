"""The forms authors fill in: a story's description, a chapter, a series, a challenge.

Forms only read and check what was typed (clear messages, nothing saved); the views hand the
cleaned values to the actions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from fabula.accounts.models import Pseud, User
from fabula.lib.refusals import ActionRefused
from fabula.lib.text import refuse_control_characters
from fabula.lib.words import tidy_title
from fabula.stories.actions.chapters import check_chapter_size
from fabula.stories.languages import DEFAULT as DEFAULT_LANGUAGE
from fabula.stories.languages import UNKNOWN as UNKNOWN_LANGUAGE
from fabula.stories.languages import language_choices
from fabula.stories.models import Challenge, Series, Story, StoryRelation
from fabula.stories.uploads import FORMATS, UnreadableUpload, read_upload, to_html
from fabula.taxonomy.models import Rating, Tag, TagKind


def error_text(form: forms.BaseForm) -> str:
    """A form's errors as one message line (for pages that answer with a flash message)."""
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def offer_pseuds(form: forms.BaseForm, user, *, label: str = "Sign as") -> None:
    """Give `form` a first field `pseud`: which of the member's pseuds signs the work, their
    default chosen. A member with one pseud gets no field (and signs with it). Only their own
    pseuds are choices, so a crafted value is refused as an invalid choice; the actions refuse
    another member's pseud too."""
    if not user.is_authenticated or getattr(user, "several_pseuds", None) is False:
        return  # a guest, or a member with one pseud (known without a query: the backend)
    pseuds = list(Pseud.objects.filter(user=user))
    if len(pseuds) < 2:
        return
    field = forms.TypedChoiceField(
        label=label,
        choices=[(p.pk, p.name) for p in pseuds],
        coerce=int,
        initial=next((p.pk for p in pseuds if p.is_default), pseuds[0].pk),
    )
    form.fields = {"pseud": field, **form.fields}


class TagChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, tag: Tag) -> str:
        return f"{tag.parent.name} › {tag.name}" if tag.parent is not None else tag.name


class TagPicker(forms.CheckboxSelectMultiple):
    """Categories or characters as checkboxes grouped by fandom (the top category), which work
    without JavaScript; `tag-picker.js` adds a type-ahead over them (docs/decisions.md)."""

    # In the app's own templates folder: Django's form renderer looks in apps, not in
    # fabula/templates.
    template_name = "stories/widgets/tag_picker.html"


def by_fandom(
    field: TagChoiceField, tags: QuerySet[Tag], role: str
) -> list[tuple[str, list[tuple[int, str]]]]:
    """The field's `tags` grouped under their fandom: a category under its top category, a
    character under the top category of its own; fandoms in alphabetical order, those with no
    fandom last ("")."""
    parents = dict(
        Tag.objects.filter(kind__role=TagKind.Role.CATEGORY).values_list("pk", "parent_id")
    )
    names = dict(
        Tag.objects.filter(parent=None, kind__role=TagKind.Role.CATEGORY).values_list("pk", "name")
    )

    def top(pk: int | None) -> str:
        seen = set()
        while pk is not None and parents.get(pk) is not None and pk not in seen:
            seen.add(pk)
            pk = parents[pk]
        return names.get(pk, "") if pk is not None else ""

    groups: dict[str, list[tuple[int, str]]] = {}
    for tag in tags:
        fandom = top(tag.pk if role == TagKind.Role.CATEGORY else tag.parent_id)
        groups.setdefault(fandom, []).append((tag.pk, field.label_from_instance(tag)))
    return sorted(groups.items(), key=lambda item: (item[0] == "", item[0].casefold()))


# Characters in one free-form tag (Tag.name is a CharField, so it has a max_length).
FREEFORM_LENGTH = cast(int, Tag._meta.get_field("name").max_length)
FREEFORM_MOST = 75  # free-form tags on one story
PEN_NAME_LENGTH = cast(int, User._meta.get_field("pen_name").max_length)


class StoryForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("A story needs a title.")},
        validators=[refuse_control_characters],
    )
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    notes = forms.CharField(
        label=_("Story notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    rating = forms.ModelChoiceField(
        label=pgettext_lazy("a story's rating: its audience", "Rating"),
        queryset=Rating.objects.all(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the archive's ratings.")},
        widget=forms.Select(attrs={"aria-describedby": "rating-help"}),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        initial=DEFAULT_LANGUAGE,
        error_messages={"invalid_choice": UNKNOWN_LANGUAGE},
    )
    completed = forms.BooleanField(label=_("Completed"), required=False)
    reading_only = forms.BooleanField(
        required=False,
        label=_("For reading here only"),
        help_text=_(
            "No downloads, feeds or reading apps (OPDS) for this story, and search engines "
            "and AI crawlers are asked to leave it alone (noindex, noai)."
        ),
    )
    locked = forms.BooleanField(
        required=False,
        label=_("For members only"),
        help_text=_(
            "Only members who are logged in may find or read this story, whatever its "
            "rating: guests do not see it in lists, search, feeds or the API."
        ),
    )
    challenges = forms.ModelMultipleChoiceField(
        queryset=Challenge.objects.all(),
        required=False,
        label=_("Answers the challenges"),
        widget=forms.CheckboxSelectMultiple,
    )
    freeform = forms.CharField(
        label=_("Additional tags"),
        required=False,
        max_length=2000,
        help_text=_(
            "Anything else a reader may look for, separated by commas: "
            "“slow burn, hurt/comfort, road trip”."
        ),
        validators=[refuse_control_characters],
    )

    # An archive whose staff deleted every rating cannot take a story: say so and who can help,
    # rather than Django's bare "This field is required." under an empty menu.
    NO_RATINGS = _(
        "This archive has no ratings yet and every story needs one, so nothing can be posted "
        "until an administrator adds them in the admin (Taxonomy › Ratings)."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.no_ratings = not Rating.objects.exists()
        if self.no_ratings:
            self.fields["rating"].error_messages["required"] = self.NO_RATINGS
        cast(forms.ChoiceField, self.fields["language"]).choices = language_choices(
            self.initial.get("language")
        )
        # Additional tags get a type-ahead (tag-suggest.js) over the archive's free-form kind,
        # canonical tags first, when there is one.
        freeform_kind = (
            TagKind.objects.filter(role=TagKind.Role.FREEFORM).order_by("order", "slug").first()
        )
        if freeform_kind is not None:
            self.fields["freeform"].widget.attrs["data-suggest-many"] = reverse(
                "tag-suggest", args=[freeform_kind.slug]
            )
        # One field per kind of tag: categories, characters, and each class type.
        self.kinds = list(TagKind.objects.exclude(role=TagKind.Role.FREEFORM))
        for kind in self.kinds:
            tags = Tag.objects.filter(kind=kind, synonym_of__isnull=True).select_related("parent")
            if kind.role == TagKind.Role.CATEGORY:
                tags = tags.filter(locked=False)
            field = self.fields[self.tag_field(kind)] = TagChoiceField(
                queryset=tags,
                required=kind.required,
                label=kind.name,
                widget=forms.CheckboxSelectMultiple
                if kind.role == TagKind.Role.CLASS
                else TagPicker(attrs={"data_kind": kind.name.lower()}),
                error_messages={
                    # Django fills in %(value)s and %(pk)s; the kind's name is filled in here.
                    "invalid_choice": gettext("“%%(value)s” is not one of the archive's %(kind)s.")
                    % {"kind": kind.name.lower()},
                    "invalid_pk_value": gettext("“%%(pk)s” is not one of the archive's %(kind)s.")
                    % {"kind": kind.name.lower()},
                    "required": gettext("Choose at least one of the %(kind)s.")
                    % {"kind": kind.name.lower()},
                },
            )
            if isinstance(field.widget, TagPicker):
                # The menu shows them by fandom; the field still checks against `queryset`.
                field.widget.choices = by_fandom(field, tags, kind.role)

    @staticmethod
    def tag_field(kind: TagKind) -> str:
        return f"tags_{kind.slug.replace('-', '_')}"

    def tag_fields(self):
        return [self[self.tag_field(kind)] for kind in self.kinds]

    def ratings(self) -> list[Rating]:
        """The ratings with what each means, shown beside the menu."""
        return list(Rating.objects.all())

    def clean_freeform(self) -> list[str]:
        """The free-form tags typed, cleaned: each once (whatever its case), none too long."""
        names: dict[str, str] = {}
        for raw in self.cleaned_data["freeform"].split(","):
            name = tidy_title(raw)
            if len(name) > FREEFORM_LENGTH:
                raise forms.ValidationError(
                    _("“%(name)s…” is too long for a tag (at most %(FREEFORM_LENGTH)s characters).")
                    % {"name": name[:40], "FREEFORM_LENGTH": FREEFORM_LENGTH}
                )
            if name:
                names.setdefault(name.casefold(), name)
        if len(names) > FREEFORM_MOST:
            raise forms.ValidationError(
                _("At most %(FREEFORM_MOST)s additional tags.") % {"FREEFORM_MOST": FREEFORM_MOST}
            )
        return list(names.values())

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for kind in self.kinds:
            chosen = data.get(self.tag_field(kind))
            if chosen is not None and not kind.multiple and len(chosen) > 1:
                self.add_error(
                    self.tag_field(kind),
                    gettext("Choose only one of the %(kind)s.") % {"kind": kind.name.lower()},
                )
        return data

    def tags(self) -> list[Tag]:
        chosen: list[Tag] = []
        for kind in self.kinds:
            chosen.extend(self.cleaned_data.get(self.tag_field(kind)) or [])
        return chosen

    def description(self) -> dict:
        """What describes the story, as `story_post` and `story_update` take it."""
        d = self.cleaned_data
        return {
            "title": d["title"],
            "rating": d["rating"],
            "summary": d["summary"],
            "notes": d["notes"],
            "tags": self.tags(),
            "freeform": d["freeform"],
            "completed": d["completed"],
            "reading_only": d["reading_only"],
            "locked": d["locked"],
            "challenges": d["challenges"],
            "language": d["language"] or self.initial.get("language") or DEFAULT_LANGUAGE,
        }

    @classmethod
    def initial_for(cls, story) -> dict:
        initial = {
            "title": story.title,
            "summary": story.summary,
            "notes": story.notes,
            "rating": story.rating_id,
            "completed": story.completed,
            "language": story.language,
            "reading_only": story.reading_only,
            "locked": story.locked,
        }
        freeform = []
        for tag in story.tags.select_related("kind"):
            if tag.kind.role == TagKind.Role.FREEFORM:
                freeform.append(tag.name)
            else:
                initial.setdefault(f"tags_{tag.kind.slug.replace('-', '_')}", []).append(tag.pk)
        initial["freeform"] = ", ".join(freeform)
        initial["challenges"] = list(story.challenges.values_list("pk", flat=True))
        return initial


class NewStoryExtrasForm(forms.Form):
    """What only a new story asks: the pseud it is signed with, co-authors to invite, a
    series."""

    coauthors = forms.CharField(
        required=False,
        label=_("Co-authors"),
        help_text=_("Pen names, separated by commas. Each is invited and must accept."),
        max_length=2000,  # some thirty pen names; a page's worth would make the look-up fail
        validators=[refuse_control_characters],
    )
    series = forms.ModelChoiceField(
        label=_("Series"), queryset=Series.objects.none(), required=False
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        offer_pseuds(self, user)
        cast(forms.ModelChoiceField, self.fields["series"]).queryset = Series.objects.filter(
            owner=user
        ) | Series.objects.exclude(openness=Series.Openness.CLOSED)

    def clean_coauthors(self) -> list[User]:
        names = [n.strip() for n in self.cleaned_data["coauthors"].split(",") if n.strip()]
        found = []
        for name in names:
            if len(name) > PEN_NAME_LENGTH:  # no such member, and no need to ask the database
                raise forms.ValidationError(
                    _("No member has the pen name “%(name)s…”.") % {"name": name[:60]}
                )
            user = User.objects.filter(pen_name__iexact=name, is_active=True).first()
            if user is None:
                raise forms.ValidationError(
                    _("No member has the pen name “%(name)s”.") % {"name": name}
                )
            if user.pk == self.user.pk:
                raise forms.ValidationError(_("You are already the story's author."))
            found.append(user)
        return found


class StoryLinksForm(forms.Form):
    """Who the story is a gift for, and a work it is related to (post and edit forms). What
    names a member and whether the work exists is the actions' to say (`story_set_gifts`,
    `relation_add`), beside these fields."""

    gifts = forms.CharField(
        required=False,
        label=_("A gift for"),
        help_text=_(
            "Names separated by commas. A member's pen name gives them the story (they "
            "are told, and may refuse it); any other name is shown as you wrote it."
        ),
        max_length=2000,
        validators=[refuse_control_characters],
    )
    relation_kind = forms.ChoiceField(
        required=False,
        label=_("Related to another work"),
        choices=[("", _("Not related")), *StoryRelation.Kind.choices],
        error_messages={"invalid_choice": _("Choose how the story is related from the list.")},
    )
    relation_to = forms.CharField(
        required=False,
        label=_("The related work"),
        help_text=_("A story's number or address here, or a web address (http:// or https://)."),
        max_length=500,
        validators=[refuse_control_characters],
    )
    relation_title = forms.CharField(
        required=False,
        label=_("Its title, for a work elsewhere"),
        max_length=200,
        validators=[refuse_control_characters],
    )

    def clean_gifts(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data["gifts"].split(",") if name.strip()]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("relation_kind") and not (data.get("relation_to") or "").strip():
            self.add_error("relation_to", "Give the related work's address, or its number here.")
        if (data.get("relation_to") or "").strip() and not data.get("relation_kind"):
            self.add_error("relation_kind", "Choose how the story is related to that work.")
        return data

    def links(self) -> dict:
        """What `story_post` and `story_update` take from the form."""
        d = self.cleaned_data
        return {
            "gifts": d["gifts"],
            "relation_kind": d["relation_kind"],
            "relation_to": d["relation_to"].strip(),
            "relation_title": d["relation_title"],
        }

    @classmethod
    def initial_for(cls, story: Story) -> dict:
        names = [gift.shown_name for gift in story.gifts.filter(refused_at__isnull=True)]
        return {"gifts": ", ".join(names)}


def future_or_none(value: datetime | None) -> datetime | None:
    """A chapter's release time: empty, or in the future."""
    if value is not None and value <= timezone.now():
        raise forms.ValidationError(_("Choose a time in the future, or leave it empty."))
    return value


class ChapterForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Empty: “Chapter N”."),
        validators=[refuse_control_characters],
    )
    notes = forms.CharField(
        label=_("Notes before the chapter"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    text_format = forms.ChoiceField(choices=FORMATS, initial="html", label=_("Text is written in"))
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 18}), required=False
    )
    upload = forms.FileField(
        required=False,
        label=_("…or upload the text"),
        help_text=_("A .txt, .html or .docx file; it replaces the text above."),
    )
    end_notes = forms.CharField(
        label=_("Notes after the chapter"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    release_at = forms.DateTimeField(
        required=False,
        label=_("Release at"),
        help_text=_("Leave empty to release at once."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )

    def __init__(self, *args, with_schedule: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_schedule:
            del self.fields["release_at"]

    def clean_release_at(self) -> datetime | None:
        return future_or_none(self.cleaned_data.get("release_at"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        upload = data.get("upload")
        if upload:
            try:
                html = read_upload(upload)
            except UnreadableUpload as error:
                self.add_error("upload", str(error))
                return data
            # What the author sees in the box next time is what will be saved.
            data["body"], data["text_format"] = html, "html"
            # A bound form's data is the request's QueryDict, immutable: change a copy.
            posted = cast(QueryDict, self.data).copy()
            posted[self.add_prefix("body")] = html
            posted[self.add_prefix("text_format")] = "html"
            self.data = posted
        typed = data.get("body") or ""
        html = to_html(typed, data.get("text_format") or "html")
        data["html"] = html
        try:  # the action's own measure (the text as stored), so the message and limit agree
            check_chapter_size(html)
        except ActionRefused as error:
            self.add_error("body", str(error))
            return data
        if not html.strip():
            self.add_error("body", _("A chapter needs some text: type it or upload a file."))
        return data

    def writing(self) -> dict:
        """What `chapter_post` (and, without a schedule, `chapter_update`) take from the form."""
        d = self.cleaned_data
        writing = {
            "title": d["title"],
            "body": d["html"],
            "notes": d["notes"],
            "end_notes": d["end_notes"],
        }
        if "release_at" in self.fields:
            writing["release_at"] = d.get("release_at")
        return writing

    def first_chapter(self) -> dict:
        """`writing`, under the names `story_post` gives its first chapter."""
        w = self.writing()
        return {
            "chapter_title": w["title"],
            "body": w["body"],
            "chapter_notes": w["notes"],
            "end_notes": w["end_notes"],
            "release_at": w.get("release_at"),
        }


class ReorderForm(forms.Form):
    """One number per chapter: its new place."""

    def __init__(self, *args, chapters, **kwargs):
        super().__init__(*args, **kwargs)
        self.chapters = list(chapters)
        for chapter in self.chapters:
            self.fields[f"chapter_{chapter.pk}"] = forms.IntegerField(
                min_value=1,
                max_value=len(self.chapters),
                initial=chapter.position,
                label=chapter.title,
            )

    def rows(self):
        return [(chapter, self[f"chapter_{chapter.pk}"]) for chapter in self.chapters]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        places = [data.get(f"chapter_{c.pk}") for c in self.chapters]
        given = [place for place in places if place is not None]
        if len(given) < len(places):  # a place left empty or wrong says so under its field
            return data
        if sorted(given) != list(range(1, len(self.chapters) + 1)):
            raise forms.ValidationError(
                _("Give each chapter a different place, from 1 to %(len)s.")
                % {"len": len(self.chapters)}
            )
        return data

    def order(self) -> list[int]:
        ranked = sorted(self.chapters, key=lambda c: self.cleaned_data[f"chapter_{c.pk}"])
        return [c.pk for c in ranked]


class ScheduleForm(forms.Form):
    release_at = ChapterForm.base_fields["release_at"]

    def clean_release_at(self) -> datetime | None:
        return future_or_none(self.cleaned_data.get("release_at"))


class InviteForm(forms.Form):
    pen_name = forms.CharField(
        max_length=60, label=_("Pen name"), validators=[refuse_control_characters]
    )

    def clean_pen_name(self) -> User:
        name = self.cleaned_data["pen_name"].strip()
        user = User.objects.filter(pen_name__iexact=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("No member has the pen name “%(name)s”.") % {"name": name}
            )
        return user


class SeriesForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("A series needs a title.")},
        validators=[refuse_control_characters],
    )
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    openness = forms.ChoiceField(
        label=_("Who may add stories"),
        choices=Series.Openness.choices,
        initial=Series.Openness.CLOSED,
    )


class SeriesAddForm(forms.Form):
    # The member's own, set in __init__.
    story = forms.ModelChoiceField(label=_("Story"), queryset=Story.objects.none(), required=False)
    subseries = forms.ModelChoiceField(
        queryset=Series.objects.none(), required=False, label=_("or a series")
    )

    def __init__(self, *args, user: User, series: Series, **kwargs):
        super().__init__(*args, **kwargs)

        stories = Story.objects.filter(credits__user=user).distinct()
        cast(forms.ModelChoiceField, self.fields["story"]).queryset = stories
        subseries = Series.objects.filter(owner=user).exclude(pk=series.pk)
        cast(forms.ModelChoiceField, self.fields["subseries"]).queryset = subseries

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if bool(data.get("story")) == bool(data.get("subseries")):
            raise forms.ValidationError(_("Choose one of your stories or one of your series."))
        return data


class ChallengeForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("A challenge needs a title.")},
        validators=[refuse_control_characters],
    )
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
