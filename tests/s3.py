"""A local S3 for the object storage tests: moto's server on 127.0.0.1, one for a test
module, and the portal's default storage pointed at a fresh bucket on it for each test.

The storage settings are the portal's own: config/settings.py is read again with the
DJANGO_S3_* variables set, so the tests exercise what production would run. Nothing
leaves 127.0.0.1.
"""

import itertools
import logging
import os
import runpy
import urllib.error
import urllib.request
from dataclasses import dataclass

import boto3
import pytest
from django.core.files import storage as django_storage
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

from tests.conftest import PROJECT_ROOT

REGION = "eu-west-2"
PREFIX = "portal"
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@dataclass
class LocalS3:
    endpoint_url: str
    client: object
    bucket: str = ""

    def keys(self):
        listed = self.client.list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def key(self, name):
        """The object key of a file the storage calls `name` (under DJANGO_S3_PREFIX)."""
        return f"{PREFIX}/{name}"

    def get(self, name):
        return self.client.get_object(Bucket=self.bucket, Key=self.key(name))["Body"].read()

    def put(self, name, body):
        self.client.put_object(Bucket=self.bucket, Key=self.key(name), Body=body)

    def anonymous_get(self, name):
        """The object fetched with no credentials at all: the status code."""
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(f"{self.endpoint_url}/{self.bucket}/{self.key(name)}") as answer:
                return answer.status
        except urllib.error.HTTPError as refused:
            return refused.code


def portal_storage(environ, monkeypatch):
    """STORAGES["default"] as config/settings.py makes it from these DJANGO_S3_* values."""
    for name in list(os.environ):
        if name.startswith("DJANGO_S3_"):
            monkeypatch.delenv(name)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(PROJECT_ROOT / "config" / "settings.py"))["STORAGES"]["default"]


@pytest.fixture(scope="module", name="s3_server")
def s3_server_fixture():
    """moto's S3 on 127.0.0.1, on a free port, for the whole module."""
    werkzeug = logging.getLogger("werkzeug")
    level = werkzeug.level
    werkzeug.setLevel(logging.ERROR)  # not a line a request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint_url = f"http://{host}:{port}"
    with pytest.MonkeyPatch.context() as patch:
        # Straight to 127.0.0.1, whatever proxy the machine names.
        patch.setenv("NO_PROXY", "127.0.0.1")
        patch.setenv("no_proxy", "127.0.0.1")
        client = boto3.client("s3", endpoint_url=endpoint_url, region_name=REGION, **KEYS)
        yield LocalS3(endpoint_url=endpoint_url, client=client)
    server.stop()
    werkzeug.setLevel(level)


_buckets = itertools.count(1)


@pytest.fixture(name="s3")
def s3_fixture(s3_server, settings, monkeypatch, plain_static_storage):
    """A fresh bucket, and the portal's default storage in it (S3Storage)."""
    s3_server.bucket = f"letters-test-{next(_buckets)}"
    s3_server.client.create_bucket(
        Bucket=s3_server.bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": portal_storage(
            {
                "DJANGO_S3_BUCKET": s3_server.bucket,
                "DJANGO_S3_ENDPOINT_URL": s3_server.endpoint_url,
                "DJANGO_S3_REGION": REGION,
                "DJANGO_S3_ACCESS_KEY_ID": KEYS["aws_access_key_id"],
                "DJANGO_S3_SECRET_ACCESS_KEY": KEYS["aws_secret_access_key"],
                "DJANGO_S3_PREFIX": PREFIX,
            },
            monkeypatch,
        ),
    }
    # Overriding STORAGES resets Django's cached storages (django.test.signals), so the
    # file fields, which hold default_storage, now store in the bucket.
    assert isinstance(django_storage.storages["default"], S3Storage)
    assert django_storage.default_storage.bucket_name == s3_server.bucket
    return s3_server
