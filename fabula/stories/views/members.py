"""A member leaves: the account deletion page.

It lives with the story pages, not in `accounts`, because what it asks (delete my stories or
leave them to the archive) is a story workflow (`stories.actions.members`); `accounts` sits
below `stories` and imports none of it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fabula.accounts.forms import DeleteAccountForm
from fabula.stories.actions.members import account_delete


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        account_delete(user=user, stories=form.cleaned_data["stories"])
        messages.success(request, _("Your account is deleted. Thank you for writing here."))
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})
