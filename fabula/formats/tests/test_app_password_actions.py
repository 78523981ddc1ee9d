"""App passwords' actions, called by name."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fabula.formats import actions
from fabula.formats.app_passwords import authenticate_app_password
from fabula.formats.models import AppPassword

pytestmark = pytest.mark.django_db


def test_made_used_and_revoked(reader, other_author):
    row, secret = actions.app_password_create(user=reader, name="  My   e-reader ")
    assert row.name == "My e-reader" and secret.startswith(actions.PREFIX + row.lookup)
    assert authenticate_app_password(reader.pen_name, secret) == reader
    row.refresh_from_db()
    first_use = row.last_used_at
    assert first_use is not None
    # Used again soon after: not written again; much later: written.
    actions.app_password_used(password=row, now=first_use + timedelta(minutes=1))
    row.refresh_from_db()
    assert row.last_used_at == first_use
    later = timezone.now() + timedelta(hours=1)
    actions.app_password_used(password=row, now=later)
    row.refresh_from_db()
    assert row.last_used_at == later
    assert not actions.app_password_revoke(user=other_author, password_id=row.pk)
    assert actions.app_password_revoke(user=reader, password_id=row.pk)
    assert not AppPassword.objects.exists()
