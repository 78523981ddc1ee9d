"""Where Fabula keeps files it builds (downloads) and files members upload: Django's STORAGES.

One machine keeps them on its disk. A site with several web nodes points every node at one
object store (S3 or any S3-compatible service: MinIO, Ceph, Garage, …) with
`FABULA_STORAGE_URL=s3://bucket/prefix?endpoint_url=https://…&region_name=…`, through
django-storages; credentials come from the usual AWS_* variables, never from the URL.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage

# The options of django-storages' S3Storage a storage URL may set in its query string.
S3_OPTIONS = {"endpoint_url", "region_name", "addressing_style", "signature_version"}


class AtomicFileSystemStorage(FileSystemStorage):
    """The file system, where saving a name that exists replaces that file whole.

    Fabula names each built file by the content it holds (a story's version), so two processes
    that build the same download at once write the same bytes: both may save, neither renames
    its copy aside, and a reader never sees half a file (written under a temporary name in the
    same folder, then renamed over the old one).
    """

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return name

    def _save(self, name: str, content: Any) -> str:
        target = Path(self.path(name))
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".saving-")
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk)
            os.chmod(temporary, self.file_permissions_mode or 0o644)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return name


def storages_setting(data_dir: Path, url: str) -> dict[str, dict[str, Any]]:
    """Django's STORAGES for this site: uploads (`default`, in MEDIA_ROOT) and built downloads
    (`downloads`, under the data folder) on this machine's disk, or both in the object store
    `url` names."""
    static = {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}
    if not url:
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "downloads": {
                "BACKEND": "fabula.lib.storage.AtomicFileSystemStorage",
                "OPTIONS": {"location": str(data_dir / "downloads")},
            },
            "staticfiles": static,
        }
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ImproperlyConfigured(
            f"FABULA_STORAGE_URL must look like s3://bucket/prefix?endpoint_url=…, not {url!r}."
        )
    options = dict(parse_qsl(parts.query))
    unknown = set(options) - S3_OPTIONS
    if unknown:
        raise ImproperlyConfigured(
            f"FABULA_STORAGE_URL does not know {', '.join(sorted(unknown))}; it takes "
            f"{', '.join(sorted(S3_OPTIONS))} (credentials come from AWS_* variables)."
        )
    prefix = parts.path.strip("/")

    def s3(folder: str) -> dict[str, Any]:
        location = f"{prefix}/{folder}" if prefix else folder
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": parts.netloc,
                "location": location,
                "file_overwrite": True,  # a built file's name is its content: same bytes
                "default_acl": None,
                "querystring_auth": True,
                **options,
            },
        }

    return {"default": s3("media"), "downloads": s3("downloads"), "staticfiles": static}
