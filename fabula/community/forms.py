"""Forms readers fill in: a review (with the honeypot guests see), a reply, a favourite's note,
alert and history preferences. Forms only check shapes; the rules live in `actions`."""

from __future__ import annotations

from typing import cast

from django import forms

from fabula.conf.models import SiteSettings, site_settings
from fabula.lib.text import refuse_control_characters


def rating_choices() -> list[tuple[str, str]]:
    style = site_settings().review_ratings
    if style == SiteSettings.ReviewRatings.STARS:
        return [("", "No rating")] + [
            (str(n), f"{n / 2:g} star{'s' if n != 2 else ''}") for n in range(10, 0, -1)
        ]
    if style == SiteSettings.ReviewRatings.LIKE:
        return [("", "No rating"), ("1", "I liked it"), ("0", "I did not like it")]
    return []


class ReviewForm(forms.Form):
    body = forms.CharField(
        label="Your review", widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    rating = forms.TypedChoiceField(
        label="Rating", choices=(), coerce=int, empty_value=None, required=False
    )
    name = forms.CharField(
        label="Your name", max_length=100, required=False, validators=[refuse_control_characters]
    )
    # The honeypot: hidden from people by CSS and aria-hidden; robots fill every field they see.
    website = forms.CharField(label="Leave this empty", required=False)

    def __init__(self, *args, guest: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
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
    body = forms.CharField(label="Your reply", widget=forms.Textarea(attrs={"rows": 4}))


class FavouriteForm(forms.Form):
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    public = forms.BooleanField(label="Others may see this note", required=False, initial=True)
