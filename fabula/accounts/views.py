"""A member's own pages: join, log in, reset a password, profile, preferences.

Leaving (the account deletion page) is `stories.views.members`: it decides what becomes of the
member's stories. The public author pages are `stories.views.authors`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from fabula.accounts import actions
from fabula.accounts.forms import (
    LoginForm,
    PreferencesForm,
    ProfileForm,
    RegisterForm,
)
from fabula.conf.models import site_settings
from fabula.lib import limits
from fabula.lib.ratelimit import client_address, with_retry_after
from fabula.lib.refusals import ActionRefused, RateLimited


def register(request):
    if request.user.is_authenticated:
        return redirect("stories:mine")
    form = RegisterForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            limits.REGISTRATIONS.check(client_address(request))
            user = actions.member_register(
                pen_name=d["pen_name"], email=d["email"], password=d["password1"]
            )
        except RateLimited as refusal:
            form.add_error(None, str(refusal))
            return with_retry_after(
                render(request, "accounts/register.html", {"form": form}, status=429), refusal
            )
        except ActionRefused as error:  # a race with another sign-up for the same name
            form.add_error("pen_name", str(error))
        else:
            login(request, user, backend="fabula.accounts.backends.ThrottledModelBackend")
            messages.success(request, f"Welcome, {user.pen_name}!")
            return redirect("stories:mine")
    return render(request, "accounts/register.html", {"form": form})


class LoginView(auth_views.LoginView):
    """Django's login; the authentication backend (`accounts.backends`) slows guessing down and
    says how long to wait, which this page shows above the form."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except RateLimited as refusal:
            # An unbound form: the password was not checked, and is not sent back.
            pen_name = request.POST.get("username", "")[:60]
            form = self.get_form_class()(request, initial={"username": pen_name})
            response = self.render_to_response(
                self.get_context_data(form=form, refusal=str(refusal)), status=429
            )
            return with_retry_after(response, refusal)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, with its mail limited per address asking and per address mailed."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        try:
            limits.PASSWORD_RESETS.check(client_address(self.request))
            limits.PASSWORD_RESET_MAILS.check(form.cleaned_data["email"].strip())
        except RateLimited as refusal:
            form.add_error(None, str(refusal))
            return with_retry_after(
                self.render_to_response(self.get_context_data(form=form), status=429), refusal
            )
        # The link and the name come from the site settings: Django's own `domain` and
        # `site_name` are the request's Host, which whoever asks for the mail chooses.
        settings = site_settings()
        self.extra_email_context = {"site_url": settings.site_url, "site_settings": settings}
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, "Password changed.")
        return super().form_valid(form)


def _own_account_page(request, form_class, save, *, saved: str, page: str):
    """A member's page of their own settings: one form on their User, saved through one action
    whose keywords are the form's fields."""
    form = form_class(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            save(user=request.user, **form.cleaned_data)
            messages.success(request, saved)
            return redirect(f"accounts:{page}")
        # The form validated on the session's user: undo what it half-changed there.
        request.user.refresh_from_db()
    return render(request, f"accounts/{page}.html", {"form": form})


@login_required
def profile(request):
    return _own_account_page(
        request, ProfileForm, actions.profile_update, saved=_("Profile saved."), page="profile"
    )


@csrf_exempt
@require_POST
def set_language(request):
    """The footer's switcher: Django's set_language (a cookie, then back to the page). A guest's
    page may be cached, so its form carries no CSRF token; a member's does, and only a member's
    checked request also saves the choice to their preferences (every device follows)."""
    response = i18n_views.set_language(request)
    language = request.POST.get("language", "")
    if (
        request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and CsrfViewMiddleware(lambda _request: response).process_view(
            request, i18n_views.set_language, (), {}
        )
        is None
    ):
        actions.language_choose(user=request.user, language=language)
    return response


@login_required
def preferences(request):
    return _own_account_page(
        request,
        PreferencesForm,
        actions.preferences_update,
        saved=_("Preferences saved."),
        page="preferences",
    )
