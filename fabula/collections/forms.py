"""Input checking for the collections' pages (the actions refuse what the state forbids)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fabula.collections.models import Collection, Prompt
from fabula.stories.forms import TagChoiceField
from fabula.stories.models import Story
from fabula.taxonomy.models import Tag


class CollectionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    name = forms.SlugField(
        label=_("Short name"),
        max_length=60,
        help_text=_("Its address, /collections/<name>/: letters, digits and hyphens."),
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Collection.Kind.choices)
    openness = forms.ChoiceField(label=_("Who may add works"), choices=Collection.Openness.choices)
    unrevealed = forms.BooleanField(
        label=_("Unrevealed: works are hidden until you reveal them"), required=False
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous: authors show as Anonymous until you reveal them"), required=False
    )
    prompts = forms.CharField(
        label=_("Prompts"),
        widget=forms.Textarea,
        required=False,
        help_text=_("One prompt a line (for challenges)."),
    )
    signup_closes = forms.DateTimeField(
        label=_("Sign-ups close"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("For gift exchanges."),
    )
    deadline = forms.DateTimeField(
        label=_("Gifts due"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("For gift exchanges."),
    )


class SignupForm(forms.Form):
    offers = TagChoiceField(
        label=_("I offer to write"),
        queryset=Tag.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tags you would write a gift for."),
    )
    requests = TagChoiceField(
        label=_("I would like to read"),
        queryset=Tag.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tags you would like your gift to have."),
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tags = signup_tags()
        for name in ("offers", "requests"):
            field = self.fields[name]
            assert isinstance(field, TagChoiceField)
            field.queryset = tags


def signup_tags():
    """The tags an exchange offers to choose among: canonical fandoms and characters."""
    return (
        Tag.objects.filter(kind__role__in=["category", "character"], synonym_of__isnull=True)
        .select_related("kind", "parent")
        .order_by("kind__order", "kind__slug", "name")
    )


class StoryChoiceForm(forms.Form):
    """Choose one of your stories (to add, to offer as a gift)."""

    story = forms.ModelChoiceField(label=_("Your story"), queryset=Story.objects.none())
    prompt = forms.ModelChoiceField(
        label=_("Answering the prompt"), queryset=Prompt.objects.none(), required=False
    )

    def __init__(self, *args, user, collection: Collection | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        story = self.fields["story"]
        assert isinstance(story, forms.ModelChoiceField)
        story.queryset = Story.objects.filter(credits__user=user).order_by("title")
        prompt = self.fields["prompt"]
        assert isinstance(prompt, forms.ModelChoiceField)
        if collection is not None and collection.prompts.exists():
            prompt.queryset = collection.prompts.all()
        else:
            del self.fields["prompt"]


class AddToCollectionForm(forms.Form):
    """From a story's page of its own: the collection to put it in, by its short name."""

    collection = forms.SlugField(label=_("Collection's short name"), max_length=60)

    def clean_collection(self) -> Collection:
        name = self.cleaned_data["collection"]
        collection = Collection.objects.filter(name=name.lower()).first()
        if collection is None:
            raise forms.ValidationError(_("No collection has that short name."))
        return collection


class InviteForm(forms.Form):
    """A maintainer invites a story, by its number."""

    story = forms.IntegerField(label=_("Story number"), min_value=1)

    def clean_story(self) -> Story:
        story = Story.objects.filter(pk=self.cleaned_data["story"]).first()
        if story is None:
            raise forms.ValidationError(_("No story has that number."))
        return story
