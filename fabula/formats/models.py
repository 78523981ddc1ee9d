"""App passwords: what e-reader apps log in to the OPDS catalog with.

A reading app (KOReader, Moon+ Reader, Thorium, calibre) asks for a user name and password and
sends them with every request (HTTP Basic). A member gives it an app password made for it, never
the account password: it can be revoked on its own, it opens only the catalog and downloads,
and a leaked one does not open the account. Only a hash is kept (Django's password hashers);
`lookup` is the password's first characters, not secret, to find the row without trying every
hash. The functions that make, check and revoke them are in `app_passwords.py`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fabula.accounts.models import MemberCredential


class AppPassword(MemberCredential):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="app_passwords"
    )
    lookup = models.CharField(max_length=12, db_index=True)
    password = models.CharField(max_length=128, help_text=_("A hash, as Django stores passwords."))
    # KOReader's sync plugin sends not the password but its MD5 (its "key"): what is kept for
    # that is a SHA-256 of that MD5 (the password is long and random, so this is safe).
    sync_key = models.CharField(max_length=64, blank=True, db_index=True)
