"""Log-in defence without lockout (issue 17, High 4 and Medium 7): guessing slows down by
address and by account, the owner is never shut out, the admin's log-in page obeys the same
rule, look-alike spellings of a name share a count, and pages cannot push the counts out."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.cache import caches
from django.urls import reverse

from fabula import settings as project_settings
from fabula.accounts.hashers import OwaspArgon2PasswordHasher
from fabula.lib import limits, ratelimit
from fabula.test import PASSWORD

SITE, ADMIN = "accounts:login", "admin:login"


def attempt(client, name: str, password: str, *, address: str = "198.51.100.1", page=SITE):
    return client.post(reverse(page), {"username": name, "password": password}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def guess(client, name: str, times: int, **where) -> None:
    for _ in range(times):
        response = attempt(client, name, "wrong guess", **where)
        assert response.status_code == 200, response.status_code


def test_wrong_passwords_wait_longer_and_longer_never_for_good(client, author, clock):
    free = limits.LOGIN_PER_ADDRESS_AND_ACCOUNT.free
    guess(client, "Night Swept", free)
    waits = []
    for _ in range(6):
        refused = attempt(client, "Night Swept", PASSWORD)
        assert refused.status_code == 429 and not logged_in(client)
        assert "try again in" in refused.content.decode()
        waits.append(int(refused["Retry-After"]))
        clock.now += waits[-1]
        guess(client, "Night Swept", 1)  # the wait is over: one more wrong try is heard
    assert waits == [1, 2, 4, 8, 16, 32]
    clock.now += 64
    assert attempt(client, "Night Swept", PASSWORD).status_code == 302 and logged_in(client)


def test_the_owner_from_another_address_waits_a_minute_at_most(client, author, clock):
    """The old rule: 5 wrong passwords from anywhere shut the owner out for 15 minutes."""
    for n in range(40):  # a guesser spreading over many addresses, waiting out each back-off
        clock.now += limits.LOGIN_PER_ACCOUNT.longest
        guess(client, "Night Swept", 1, address=f"203.0.113.{n}")
    owner = attempt(client, "night swept", PASSWORD, address="192.0.2.50")
    assert owner.status_code == 429
    assert int(owner["Retry-After"]) <= limits.LOGIN_PER_ACCOUNT.longest == 60
    clock.now += int(owner["Retry-After"])
    assert attempt(client, "night swept", PASSWORD, address="192.0.2.50").status_code == 302
    assert logged_in(client)


@pytest.mark.parametrize(
    ("spellings", "sixth"),
    [
        (
            ["Night Swept", "ＮＩＧＨＴ ＳＷＥＰＴ", "night swept", "Ｎight Ｓwept", " NIGHT"],
            "ｎｉｇｈｔ ｓｗｅｐｔ",
        ),
        (
            ["Nobody Here", "ＮＯＢＯＤＹ ＨＥＲＥ", "nobody here", "Ｎobody here", "NOBODY"],
            "NoBody Here",
        ),
    ],
)
def test_look_alike_spellings_of_a_name_share_one_count(client, author, clock, spellings, sixth):
    """Each fullwidth or other-case spelling used to get five fresh guesses of its own."""
    for name in spellings[:4]:  # four wrong tries, each spelt differently
        guess(client, name, 1)
    guess(client, spellings[0].upper(), 1)
    assert attempt(client, sixth, PASSWORD).status_code == 429


def test_the_admin_log_in_obeys_the_same_rule(client, admin_user, clock):
    guess(client, "Admin", 3, page=ADMIN)
    guess(client, "ＡＤＭＩＮ", 2)  # the site's page and the admin's count together
    for page in (ADMIN, SITE):
        refused = attempt(client, "Admin", PASSWORD, page=page)
        assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
        assert not logged_in(client)
    clock.now += 1
    assert attempt(client, "admin", PASSWORD, page=ADMIN).status_code == 302
    assert logged_in(client)


def test_one_address_guessing_many_names_is_stopped(client, author, clock):
    per_address = limits.LOGIN_PER_ADDRESS.attempts
    for n in range(per_address):
        guess(client, f"Member {n}", 1)
    refused = attempt(client, "Night Swept", PASSWORD)
    assert refused.status_code == 429 and not logged_in(client)
    # Only that address: the owner elsewhere logs in at once.
    assert attempt(client, "Night Swept", PASSWORD, address="192.0.2.9").status_code == 302


def test_a_flood_of_pages_does_not_push_the_counts_out(client, author, clock, settings):
    """The counts were in the page cache, evicted by ~20,000 unique pages; now they are in
    the "limits" store (the database cache on PostgreSQL), which pages never enter."""
    guess(client, "Night Swept", limits.LOGIN_PER_ADDRESS_AND_ACCOUNT.free)
    pages = caches["default"]
    for n in range(25_000):
        pages.set(f"fabula:page:1:flood{n}", b"<html>" + b"x" * 100)
    pages.clear()
    assert attempt(client, "Night Swept", PASSWORD).status_code == 429
    assert caches[ratelimit.STORE] is not pages
    engine = settings.DATABASES["default"]["ENGINE"]
    shared = settings.CACHES[ratelimit.STORE]["BACKEND"].endswith("DatabaseCache")
    assert shared == (not engine.endswith("sqlite3"))  # on PostgreSQL, every worker's counts


def test_a_right_password_clears_the_names_count(client, author, clock):
    guess(client, "Night Swept", limits.LOGIN_PER_ADDRESS_AND_ACCOUNT.free - 1)
    assert attempt(client, "Night Swept", PASSWORD).status_code == 302
    client.logout()
    guess(client, "Night Swept", limits.LOGIN_PER_ADDRESS_AND_ACCOUNT.free - 1)
    assert attempt(client, "Night Swept", PASSWORD).status_code == 302


def test_passwords_are_hashed_with_argon2id_at_owasps_parameters():
    """The tests hash with MD5 for speed (conftest.py); the site's first hasher is this one."""
    assert (
        project_settings.PASSWORD_HASHERS[0] == "fabula.accounts.hashers.OwaspArgon2PasswordHasher"
    )
    hasher = OwaspArgon2PasswordHasher()
    encoded = hasher.encode(PASSWORD, hasher.salt())
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert hasher.verify(PASSWORD, encoded) and not hasher.verify("wrong", encoded)
    # A hash made with Django's heavier default still verifies and is made again at log-in.
    heavier = Argon2PasswordHasher().encode(PASSWORD, hasher.salt())
    assert hasher.verify(PASSWORD, heavier) and hasher.must_update(heavier)
    assert not hasher.must_update(encoded)
