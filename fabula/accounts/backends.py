"""Every log-in goes through here (the site's page, the admin's, anything calling
`authenticate`), so every one is slowed the same way when a password is being guessed.

The rules and their numbers are in `lib/limits.py`: failures count per address, per address and
name, and per name from anywhere. A name counts as the login reads it (NFKC, no case), so
fullwidth spellings of one pen name share its count. Nobody is locked out: past the free tries
each attempt waits a little longer, and the owner trying from another address waits at most
LOGIN_PER_ACCOUNT.longest. The wait is checked before the password is hashed, so a refused try
costs the server nothing and tells the guesser nothing.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from fabula.accounts.models import Pseud, User
from fabula.lib import limits
from fabula.lib.ratelimit import client_address, in_words, normalise_name
from fabula.lib.refusals import RateLimited


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None:  # a command, or another kind of credential
            return super().authenticate(request, username, password, **kwargs)
        address, name = client_address(request), normalise_name(username)
        check_login_allowed(address=address, name=name)
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            login_failed(address=address, name=name)
        else:
            login_succeeded(address=address, name=name)
        return user

    def get_user(self, user_id):
        """The member behind a session, knowing in the same query whether they have more
        pseuds than their default (`several_pseuds`): the forms that let a member choose a
        pseud ask for the list only then, so a page costs no query more for most members."""
        user = (
            User._default_manager.annotate(
                several_pseuds=Exists(Pseud.objects.filter(user=OuterRef("pk"), is_default=False))
            )
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None


def check_login_allowed(*, address: str, name: str) -> None:
    """RateLimited, saying how long to wait, while this address or name must wait."""
    if limits.LOGIN_PER_ADDRESS.exceeded(address):
        raise limits.LOGIN_PER_ADDRESS.refusal()
    wait = max(
        limits.LOGIN_PER_ADDRESS_AND_ACCOUNT.wait(f"{address}|{name}"),
        limits.LOGIN_PER_ACCOUNT.wait(name),
    )
    if wait:
        raise RateLimited(
            f"Too many wrong passwords for this pen name: please try again {in_words(wait)}.",
            wait,
        )


def login_failed(*, address: str, name: str) -> None:
    limits.LOGIN_PER_ADDRESS.take(address)
    limits.LOGIN_PER_ADDRESS_AND_ACCOUNT.fail(f"{address}|{name}")
    limits.LOGIN_PER_ACCOUNT.fail(name)


def login_succeeded(*, address: str, name: str) -> None:
    """The owner is in: their name's failures are forgotten (a guesser's address keeps its
    own count)."""
    limits.LOGIN_PER_ADDRESS_AND_ACCOUNT.reset(f"{address}|{name}")
    limits.LOGIN_PER_ACCOUNT.reset(name)
