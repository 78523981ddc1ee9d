"""Built downloads in an object store every web node shares (FABULA_STORAGE_URL=s3://...).

The store here is moto's S3 server on loopback, started by the test: the same HTTP protocol
django-storages speaks to AWS, MinIO or Ceph.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from fabula.lib.storage import storages_setting
from fabula.stories import actions
from fabula.test import free_port

BUCKET = "fabula-test"


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("moto's S3 server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    s3 = boto3.resource("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    store = s3.Bucket(BUCKET)
    if store.creation_date is None:
        store.create()
    store.objects.all().delete()
    settings.STORAGES = storages_setting(tmp_path, f"s3://{BUCKET}/site?endpoint_url={s3_endpoint}")
    return store


def keys(bucket) -> list[str]:
    return sorted(item.key for item in bucket.objects.all())


def test_downloads_are_built_into_the_shared_store_and_served_from_it(
    db, client, make_story, author, bucket
):
    story = make_story(author)
    url = reverse("download", args=[story.pk, "epub"])
    first = client.get(url)
    assert first.status_code == 200
    [key] = keys(bucket)
    assert key.startswith(f"site/downloads/{story.pk}/") and key.endswith(".epub.epub")
    assert bucket.Object(key).get()["Body"].read() == first.content
    assert client.get(url).content == first.content and keys(bucket) == [key]

    actions.chapter_add(story=story, title="Another", body="<p>More words.</p>")
    fresh = client.get(url)
    [newer] = keys(bucket)  # the old version went with the new one
    assert newer != key and bucket.Object(newer).get()["Body"].read() == fresh.content


@pytest.mark.parametrize(
    "url, words",
    [
        ("ftp://bucket/x", "must look like s3://"),
        ("s3:///no-bucket", "must look like s3://"),
        ("s3://bucket/x?secret_key=oops", "does not know secret_key"),
    ],
)
def test_a_wrong_storage_url_says_what_is_wrong(tmp_path, url, words):
    with pytest.raises(ImproperlyConfigured, match=words):
        storages_setting(tmp_path, url)


def test_without_a_storage_url_files_stay_on_this_machine(tmp_path):
    setting = storages_setting(tmp_path, "")
    assert setting["downloads"]["OPTIONS"]["location"] == str(tmp_path / "downloads")
    assert setting["default"]["BACKEND"].endswith("FileSystemStorage")
