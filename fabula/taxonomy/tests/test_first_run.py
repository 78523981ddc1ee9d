"""A new archive is ready to take stories: the default taxonomy (written once by a migration),
`fabula setup`, the admin's first-run checklist, and the post form when staff deleted every
rating."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from fabula.accounts.models import User
from fabula.conf.models import site_settings
from fabula.stories.forms import StoryForm
from fabula.taxonomy import defaults
from fabula.taxonomy.models import Rating, Tag, TagKind
from fabula.test import PASSWORD, set_site

FABULA = str(Path(sys.executable).with_name("fabula"))

# Run inside `fabula shell` on the fresh archive: a stranger joins and posts, the administrator
# made by `fabula setup` validates (the only staff action), a guest reads the story.
DONE_WHEN = """
import json
from django.test import Client
from django.urls import reverse
from fabula.stories.models import Story
from fabula.taxonomy.models import Rating, Tag

member = Client()
joined = member.post(reverse("accounts:register"), {
    "pen_name": "New Writer", "email": "new@example.org",
    "password1": "Long enough pass 42", "password2": "Long enough pass 42", "age": "on"})
form = member.get(reverse("stories:new")).content.decode()
posted = member.post(reverse("stories:new"), {
    "title": "First Light", "summary": "A first story.",
    "rating": Rating.objects.get(name="General Audiences").pk,
    "tags_warnings": [Tag.objects.get(name="No archive warnings apply").pk],
    "tags_genres": [Tag.objects.get(name="Fluff").pk],
    "chapter-title": "Dawn", "chapter-text_format": "html",
    "chapter-body": "<p>The sun came up over the archive.</p>", "publish": "1"})
story = Story.objects.get(title="First Light")
staff = Client()
staff.login(username="Keeper", password="Admin pass phrase 42")
staff.post(reverse("moderation:story", args=[story.pk, "validate"]))
page = Client().get(story.get_absolute_url())
print(json.dumps({
    "joined": joined.status_code, "form_has_ratings": "General Audiences" in form,
    "posted": posted.status_code, "guest_sees": page.status_code,
    "text": "First Light" in page.content.decode(),
}))
"""


def _fabula(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([FABULA, *args], env=env, capture_output=True, text=True, timeout=300)


def test_migrate_and_setup_make_an_archive_a_stranger_can_post_to(tmp_path):
    """The issue's 'done when': fresh database, `fabula migrate && fabula setup --noinput`, then
    a new member joins and posts with no staff action but validation."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL"}
    }
    env.update(FABULA_DATA_DIR=str(tmp_path), ALLOWED_HOSTS="testserver")
    migrated = _fabula("migrate", "--noinput", env=env)
    assert migrated.returncode == 0, migrated.stderr
    setup = _fabula(
        "setup",
        "--noinput",
        "--site-name=Lantern Archive",
        "--address=https://lantern.example.org/",
        "--admin=Keeper",
        "--email=keeper@example.org",
        env={**env, "FABULA_ADMIN_PASSWORD": "Admin pass phrase 42"},
    )
    assert setup.returncode == 0, setup.stderr
    assert "Lantern Archive is ready" in setup.stdout
    run = _fabula("shell", "-c", DONE_WHEN, env=env)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.strip().splitlines()[-1]) == {
        "joined": 302,
        "form_has_ratings": True,
        "posted": 302,
        "guest_sees": 200,
        "text": True,
    }


def _install() -> bool:
    return defaults.install(rating_model=Rating, kind_model=TagKind, tag_model=Tag)


@pytest.mark.django_db
def test_defaults_are_written_once_and_staff_edits_stay():
    assert _install() is True
    ratings = {rating.name: rating for rating in Rating.objects.all()}
    assert list(ratings) == [
        "General Audiences",
        "Teen And Up Audiences",
        "Mature",
        "Explicit",
        "Not Rated",
    ]
    assert not ratings["General Audiences"].gated
    assert ratings["Explicit"].age_consent and ratings["Explicit"].warning
    assert ratings["Not Rated"].age_consent and ratings["Mature"].warning
    warnings = TagKind.objects.get(slug="warnings")
    assert warnings.role == "class" and warnings.required
    assert warnings.tags.filter(name="Major character death").exists()
    assert TagKind.objects.get(slug="genres").tags.count() == len(defaults.CLASS_KINDS[0]["tags"])
    assert TagKind.objects.get(slug="genres").legacy_id == 1 and warnings.legacy_id == 2
    assert TagKind.objects.get(slug="categories").role == "category"
    assert TagKind.objects.get(slug="characters").role == "character"
    # Staff rename one rating and delete another; installing again changes nothing.
    Rating.objects.filter(name="Mature").update(name="Adult")
    Rating.objects.filter(name="Not Rated").delete()
    assert _install() is False
    assert set(Rating.objects.values_list("name", flat=True)) == {
        "General Audiences",
        "Teen And Up Audiences",
        "Adult",
        "Explicit",
    }
    assert Tag.objects.filter(kind__slug="warnings").count() == len(defaults.CLASS_KINDS[1]["tags"])


@pytest.mark.django_db
def test_an_archive_with_its_own_ratings_gets_no_defaults():
    Rating.objects.create(name="PG")
    assert _install() is False
    assert list(Rating.objects.values_list("name", flat=True)) == ["PG"]
    assert not TagKind.objects.exists()


SETUP_FLAGS = [
    "--noinput",
    "--site-name=Lantern Archive",
    "--address=https://lantern.example.org/",
    "--admin=Keeper",
    "--email=keeper@example.org",
    f"--password={PASSWORD}",
]


@pytest.mark.django_db
def test_setup_names_the_archive_and_makes_its_administrator():
    call_command("setup", *SETUP_FLAGS, stdout=open(os.devnull, "w"))
    site = site_settings()
    assert (site.site_name, site.site_url) == ("Lantern Archive", "https://lantern.example.org")
    admin = User.objects.get(pen_name="Keeper")
    assert admin.is_staff and admin.is_superuser and admin.level == User.Level.ADMIN
    assert admin.check_password(PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, message",
    [
        ("--address=lantern", "--address: The address must be a web address"),
        ("--email=keeper", "--email: Enter a valid email address."),
        ("--password=short", "--password: This password is too short."),
        ("--site-name= ", "--site-name:"),
    ],
)
def test_setup_refuses_bad_input_and_changes_nothing(change, message):
    flag = change.split("=")[0]
    flags = [item for item in SETUP_FLAGS if not item.startswith(flag + "=")] + [change]
    with pytest.raises(CommandError) as refused:
        call_command("setup", *flags)
    assert "Nothing was changed" in str(refused.value) and message in str(refused.value)
    assert not User.objects.exists()
    assert site_settings().site_name == "Fabula"


@pytest.mark.django_db
def test_setup_refuses_a_taken_pen_name(admin_user):
    flags = [*SETUP_FLAGS[:3], f"--admin={admin_user.pen_name}", *SETUP_FLAGS[4:]]
    with pytest.raises(CommandError, match="is taken"):
        call_command("setup", *flags)
    assert site_settings().site_name == "Fabula"


@pytest.mark.django_db
def test_setup_asks_when_interactive(monkeypatch):
    answers = iter(["Lantern Archive", "https://lantern.example.org", "Keeper", "k@example.org"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt: PASSWORD)
    call_command("setup", stdout=open(os.devnull, "w"))
    assert User.objects.get(pen_name="Keeper").is_superuser
    assert site_settings().site_name == "Lantern Archive"


@pytest.mark.django_db
def test_admin_home_shows_the_checklist_until_done_and_names_the_site(admin_user, client):
    _install()
    set_site(site_name="Lantern Archive")
    client.force_login(admin_user)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Getting started" in page
    for step in ("Site settings", "Taxonomy", "Terms"):
        assert step in page
    assert "Lantern Archive administration" in page and "Django administration" not in page
    assert "<title>Run Lantern Archive | Lantern Archive admin</title>" in page
    Tag.objects.create(kind=TagKind.objects.get(slug="categories"), name="Sherlock Holmes")
    set_site(welcome="<p>Welcome.</p>", terms="Be kind.")
    assert "Getting started" not in client.get(reverse("admin:index")).content.decode()


@pytest.mark.django_db
def test_post_form_says_what_is_missing_without_ratings(client):
    member = User.objects.create_user("Writer", "w@example.org", PASSWORD)
    client.force_login(member)
    form = client.get(reverse("stories:new")).content.decode()
    assert "This archive has no ratings yet" in form
    answer = client.post(reverse("stories:new"), {"title": "T", "chapter-body": "<p>x</p>"})
    assert answer.context["story_form"].errors["rating"] == [StoryForm.NO_RATINGS]
    assert "an administrator adds them in the admin" in answer.content.decode()
