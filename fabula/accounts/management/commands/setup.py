"""`fabula setup`: the first run of a new archive, after `fabula migrate`.

It asks the archive's name and address and the first administrator's pen name, email and
password (or takes them from the flags with --noinput), checks them as the join form does,
and writes them in one transaction: bad input changes nothing. The ratings and the Genres and
Warnings kinds are already there (the migration wrote them), so members can post at once.
"""

from __future__ import annotations

import getpass
import os

from django.core.management.base import BaseCommand, CommandError

from fabula.accounts.actions import archive_setup
from fabula.accounts.forms import SetupForm
from fabula.conf.models import site_settings
from fabula.lib.refusals import ActionRefused

# The questions, in the order asked: form field, flag, prompt.
QUESTIONS = (
    ("site_name", "site_name", "Name of the archive"),
    ("site_url", "address", "Address readers use (https://...)"),
    ("pen_name", "admin", "First administrator's pen name"),
    ("email", "email", "Their email"),
)
PASSWORD_VARIABLE = "FABULA_ADMIN_PASSWORD"


class Command(BaseCommand):
    help = "Set up a new archive: its name, its address and the first administrator."

    def add_arguments(self, parser):
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")
        parser.add_argument("--site-name", dest="site_name", help="The archive's name.")
        parser.add_argument("--address", help="The address readers use: https://example.org")
        parser.add_argument("--admin", help="The first administrator's pen name.")
        parser.add_argument("--email", help="The first administrator's email.")
        parser.add_argument(
            "--password",
            help=f"The first administrator's password (or set {PASSWORD_VARIABLE}, which stays "
            "out of the shell's history).",
        )

    def handle(self, *args, interactive: bool = True, **options):
        current = site_settings()
        defaults = {"site_name": current.site_name, "address": current.site_url}
        values: dict[str, str] = {}
        for field, flag, prompt in QUESTIONS:
            given = options.get(flag)
            if given is None and interactive:
                given = self._ask(prompt, defaults.get(flag, ""))
            values[field] = given or ""
        password = options.get("password") or os.environ.get(PASSWORD_VARIABLE, "")
        if not password and interactive:
            password = getpass.getpass("Password: ")
            again = getpass.getpass("Password again: ")
        else:
            again = password
        form = SetupForm({**values, "password1": password, "password2": again})
        if not form.is_valid():
            raise CommandError(
                "Nothing was changed:\n"
                + "\n".join(
                    f"  {self._label(name)}: {' '.join(str(error) for error in errors)}"
                    for name, errors in form.errors.items()
                )
            )
        data = form.cleaned_data
        try:
            admin = archive_setup(
                site_name=data["site_name"],
                site_url=data["site_url"],
                pen_name=data["pen_name"],
                email=data["email"],
                password=data["password1"],
            )
        except ActionRefused as refusal:
            raise CommandError(f"Nothing was changed: {refusal}") from refusal
        self.stdout.write(
            f"{data['site_name']} is ready at {data['site_url']}.\n"
            f"Log in as {admin.pen_name} and open {data['site_url']}/admin/ to finish: the site "
            "settings, the ratings and tags, the terms."
        )

    def _ask(self, prompt: str, default: str) -> str:
        shown = f"{prompt} [{default}]: " if default else f"{prompt}: "
        return input(shown).strip() or default

    @staticmethod
    def _label(name: str) -> str:
        flags = {field: f"--{flag.replace('_', '-')}" for field, flag, _ in QUESTIONS}
        flags.update(password1="--password", password2="--password", __all__="error")
        return flags.get(name, name)
