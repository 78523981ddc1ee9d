"""eFiction's password hashes, kept on import so members log in with their old passwords.

eFiction stores an unsalted MD5 of the password (`user/login.php`). An imported member's hash is
stored as `efiction_md5$<hex>`. This hasher comes after argon2 in PASSWORD_HASHERS, so Django
rehashes the password with argon2 at the first successful login and the MD5 is gone.
"""

import hashlib

from django.contrib.auth.hashers import BasePasswordHasher, mask_hash
from django.utils.crypto import constant_time_compare


class EfictionMD5PasswordHasher(BasePasswordHasher):
    algorithm = "efiction_md5"

    def salt(self) -> str:
        return ""

    def encode(self, password: str, salt: str = "") -> str:
        return f"{self.algorithm}${hashlib.md5(password.encode()).hexdigest()}"

    def decode(self, encoded: str) -> dict:
        algorithm, hexdigest = encoded.split("$", 1)
        assert algorithm == self.algorithm
        return {"algorithm": algorithm, "hash": hexdigest, "salt": ""}

    def verify(self, password: str, encoded: str) -> bool:
        return constant_time_compare(self.encode(password), encoded)

    def safe_summary(self, encoded: str) -> dict:
        return {"algorithm": self.algorithm, "hash": mask_hash(self.decode(encoded)["hash"])}

    def must_update(self, encoded: str) -> bool:
        return True  # never keep an unsalted MD5 longer than the next login

    def harden_runtime(self, password: str, encoded: str) -> None:
        pass
