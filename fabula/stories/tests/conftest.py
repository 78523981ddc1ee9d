"""Fixtures the posting tests share."""

from __future__ import annotations

import pytest


@pytest.fixture
def author_client(client, author):
    """The test client, logged in as the archive's author."""
    client.force_login(author)
    return client
