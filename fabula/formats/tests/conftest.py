"""Fixtures for the format tests: the seed story and fresh site settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from fabula.conf.settings import forget_site_settings, site_settings
from fabula.test import shared_path


@pytest.fixture(autouse=True)
def fresh_site_settings():
    """Site settings are cached across tests; start and end each test from the database."""
    forget_site_settings()
    yield
    forget_site_settings()


@pytest.fixture
def seed_path() -> Path:
    return Path(shared_path("seed", "000_342251b2f365abf6.txt"))


@pytest.fixture
def seed_bytes(seed_path) -> bytes:
    return seed_path.read_bytes()


@pytest.fixture
def site(db):
    """The site settings row, to change in a test (call .save())."""
    return site_settings()
