from django import forms
from django.utils.translation import gettext_lazy as _


class CommentForm(forms.Form):
    # What a comment may hold is the action's to say (`actions.comment_post`), in one place.
    body = forms.CharField(
        label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
