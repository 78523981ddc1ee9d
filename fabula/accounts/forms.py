"""Forms members fill in about themselves: joining, profile, preferences, leaving."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from fabula.accounts.models import STORY_SORTS, Pseud, User
from fabula.conf.models import site_settings
from fabula.lib.text import invisible_character, refuse_control_characters
from fabula.lib.weblinks import ASSUMED_SCHEME, validate_web_address
from fabula.lib.words import normal_pen_name

TEXT_SIZES = [(s, f"{s}%") for s in (80, 90, 100, 110, 125, 150, 175)]


class MemberFields(forms.Form):
    """A new member's pen name, email and password, checked as on joining."""

    pen_name = forms.CharField(
        label=_("Pen name"),
        max_length=60,
        help_text=_("Shown on everything you write."),
        validators=[refuse_control_characters],
    )
    email = forms.EmailField(
        label=_("Email"), help_text=_("For password resets and, if you wish, alerts.")
    )
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)

    def clean_pen_name(self) -> str:
        name = normal_pen_name(self.cleaned_data["pen_name"])
        if not name:
            raise forms.ValidationError(_("Choose a pen name."))
        hidden = invisible_character(name)
        if hidden:
            raise forms.ValidationError(
                _(
                    "A pen name cannot hold invisible characters (this one has U+%(code)s): "
                    "it would look like another member's."
                )
                % {"code": f"{ord(hidden):04X}"}
            )
        if (
            User.objects.filter(pen_name__iexact=name).exists()
            or Pseud.objects.filter(name__iexact=name).exists()
        ):
            raise forms.ValidationError(
                _("The pen name “%(name)s” is taken; choose another.") % {"name": name}
            )
        return name

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(
                    first, User(pen_name=data.get("pen_name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class RegisterForm(MemberFields):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        site = site_settings()
        if site.age_statement:
            self.fields["age"] = forms.BooleanField(
                label=site.age_statement,
                error_messages={"required": _("Please confirm this to join.")},
            )
        if site.terms:
            self.fields["terms"] = forms.BooleanField(
                label=_("I accept the archive's terms"),
                error_messages={"required": _("Please accept the terms to join.")},
            )


class SetupForm(MemberFields):
    """What `fabula setup` asks: the archive's name and address, and its first administrator."""

    site_name = forms.CharField(label=_("The archive's name"), max_length=100)
    site_url = forms.URLField(
        label=_("The archive's address"),
        max_length=200,
        assume_scheme=ASSUMED_SCHEME,
        error_messages={"invalid": _("The address must be a web address: https://example.org")},
    )

    def clean_site_name(self) -> str:
        name = self.cleaned_data["site_name"].strip()
        if not name:
            raise forms.ValidationError(_("The archive needs a name."))
        return name


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That pen name and password do not match. (Pen names ignore case.)"),
        "inactive": _("This account is closed."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Pen name")


class ProfileForm(forms.ModelForm):
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme=ASSUMED_SCHEME,
        max_length=200,
        validators=[validate_web_address],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["real_name"].validators.append(refuse_control_characters)

    class Meta:
        model = User
        fields = ["real_name", "email", "website", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"bio": _("HTML allowed; anything unsafe is removed.")}
        labels = {"real_name": _("Real name"), "email": _("Email"), "bio": _("About you")}


class PreferencesForm(forms.ModelForm):
    language = forms.ChoiceField(
        choices=[("", _("As my browser asks")), *settings.LANGUAGES],
        required=False,
        label=_("Language of the interface"),
        help_text=_("Stories keep their own language."),
    )
    text_size = forms.TypedChoiceField(label=_("Text size"), choices=TEXT_SIZES, coerce=int)
    default_sort = forms.ChoiceField(
        choices=[
            ("", _("As each list chooses")),
            *((key, _(label)) for key, label in STORY_SORTS.items()),
        ],
        required=False,
        label=_("Sort story lists by"),
    )

    class Meta:
        model = User
        fields = ["age_consent", "theme", "text_size", "default_sort", "alerts", "language"]
        labels = {
            "age_consent": _("I am old enough for every story: skip age questions"),
            "alerts": _("Alerts by email"),
            "theme": _("Theme"),
        }


class DeleteAccountForm(forms.Form):
    stories = forms.ChoiceField(
        widget=forms.RadioSelect,
        choices=[
            ("orphan", _("Leave my stories to the archive, under the “Orphan Account” name")),
            ("delete", _("Delete my stories")),
        ],
        label=_("Your stories"),
    )
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput,
        strip=False,
        help_text=_("Type your password to confirm."),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password
