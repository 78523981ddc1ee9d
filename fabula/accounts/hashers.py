"""Password hashers: argon2id at OWASP's parameters, and eFiction's old hashes kept on import so
members log in with their old passwords.

eFiction stores an unsalted MD5 of the password (`user/login.php`). An imported member's hash is
stored as `efiction_md5$<hex>`. This hasher comes after argon2 in PASSWORD_HASHERS, so Django
rehashes the password with argon2 at the first successful login and the MD5 is gone.
"""

import hashlib

from django.contrib.auth.hashers import Argon2PasswordHasher, BasePasswordHasher, mask_hash
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


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """argon2id with OWASP's Password Storage Cheat Sheet parameters: 19 MiB, 2 passes, 1 lane.

    Django's own (100 MiB, 2 passes, 8 lanes) costs five times the memory per log-in: 64 log-ins
    at once would ask for 6.4 GB of a small server, which is a denial of service of its own.
    Same algorithm name, so stored hashes still verify; a hash made with other parameters is
    made again at its owner's next log-in (Django's `must_update`). `bench/login.py` measures it.
    """

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
