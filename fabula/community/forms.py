"""Forms readers fill in: a review (with the honeypot guests see), a reply, a favourite's note,
alert and history preferences. Forms only check shapes; the rules live in `actions`."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from fabula.conf.models import SiteSettings, site_settings
from fabula.lib.text import refuse_control_characters
from fabula.stories.forms import offer_pseuds


def rating_choices() -> list[tuple[str, str]]:
    style = site_settings().review_ratings
    if style == SiteSettings.ReviewRatings.STARS:
        return [("", gettext("No rating"))] + [
            (
                str(n),
                ngettext("%(stars)s star", "%(stars)s stars", 1 if n == 2 else 2)
                % {"stars": f"{n / 2:g}"},
            )
            for n in range(10, 0, -1)
        ]
    if style == SiteSettings.ReviewRatings.LIKE:
        return [
            ("", gettext("No rating")),
            ("1", gettext("I liked it")),
            ("0", gettext("I did not like it")),
        ]
    return []


class ReviewForm(forms.Form):
    body = forms.CharField(
        label=_("Your review"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    rating = forms.TypedChoiceField(
        label=_("Rating"), choices=(), coerce=int, empty_value=None, required=False
    )
    name = forms.CharField(
        label=_("Your name"), max_length=100, required=False, validators=[refuse_control_characters]
    )
    # The honeypot: hidden from people by CSS and aria-hidden; robots fill every field they see.
    website = forms.CharField(label=_("Leave this empty"), required=False)

    def __init__(self, *args, guest: bool = False, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            offer_pseuds(self, user)
        choices = rating_choices()
        if choices:
            cast(forms.TypedChoiceField, self.fields["rating"]).choices = choices
        else:
            del self.fields["rating"]
        if guest:
            self.fields["name"].required = True
        else:
            del self.fields["name"]
            del self.fields["website"]

    @property
    def is_spam_bot(self) -> bool:
        return bool(self.data.get("website"))


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            offer_pseuds(self, user)


class FavouriteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    public = forms.BooleanField(label=_("Others may see this note"), required=False, initial=True)


class ReadingListForm(forms.Form):
    """A reading list's name and who may see it."""

    name = forms.CharField(
        max_length=100,
        label=_("Name of the list"),
        error_messages={"required": _("A reading list needs a name.")},
        validators=[refuse_control_characters],
    )
    public = forms.BooleanField(
        required=False,
        label=_("Public"),
        help_text=_(
            "Anyone may see a public list, its notes and its feeds; a private list is yours alone."
        ),
    )


class AddToListForm(forms.Form):
    """Put a story on one of the member's lists, or on a new one named here, with a note."""

    reading_list = forms.TypedChoiceField(
        label=_("Reading list"), coerce=int, required=False, empty_value=None, choices=()
    )
    new_list = forms.CharField(
        max_length=100,
        required=False,
        label=_("…or a new list named"),
        validators=[refuse_control_characters],
    )
    note = forms.CharField(
        label=_("Your note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5_000,
        help_text=_("Why you recommend it (optional)."),
    )

    def __init__(self, *args, lists, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["reading_list"])
        field.choices = [("", "Choose a list"), *((rl.pk, rl.name) for rl in lists)]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("reading_list") and not (data.get("new_list") or "").strip():
            self.add_error("reading_list", "Choose one of your lists, or name a new one.")
        return data


class ArrangeListForm(forms.Form):
    """Each entry's place (1, 2, …) and note, on the list's edit page."""

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = list(entries)
        for number, entry in enumerate(self.entries, start=1):
            self.fields[f"place_{entry.pk}"] = forms.IntegerField(
                min_value=1,
                max_value=max(len(self.entries), 1),
                initial=number,
                label=f"Place of “{entry.story.title}”",
            )
            self.fields[f"note_{entry.pk}"] = forms.CharField(
                required=False,
                max_length=5_000,
                initial=entry.note,
                label=f"Note on “{entry.story.title}”",
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def rows(self):
        return [
            (entry, self[f"place_{entry.pk}"], self[f"note_{entry.pk}"]) for entry in self.entries
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        places = [data.get(f"place_{entry.pk}") for entry in self.entries]
        given = [place for place in places if place is not None]
        if len(given) == len(places) and sorted(given) != list(range(1, len(self.entries) + 1)):
            raise forms.ValidationError(
                _("Give each story a different place, from 1 to %(len)s.")
                % {"len": len(self.entries)}
            )
        return data

    def order(self) -> list[int]:
        ranked = sorted(self.entries, key=lambda e: self.cleaned_data[f"place_{e.pk}"])
        return [entry.pk for entry in ranked]

    def notes(self) -> dict[int, str]:
        return {entry.pk: self.cleaned_data[f"note_{entry.pk}"] for entry in self.entries}
