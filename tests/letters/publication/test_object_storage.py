"""Stored files in an S3 bucket (DJANGO_S3_BUCKET): published PDFs, imported originals and
office logos go to the bucket, stay private, and reach people only through the portal's
views, which check access, audit, and verify the SHA-256.

The bucket is moto's S3 on 127.0.0.1 (tests/s3.py), one server for the module.
"""

import hashlib
import io
import logging

import pikepdf
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from PIL import Image

from accounts import roles
from audit.models import AuditEvent
from inspections.models import AuthorityUser, Visit
from letters.models import Letter
from letters.publication import services as publication
from letters.rendering.pdf import letter_pdf
from letters.review import services as review
from tests.factories import (
    OfficeFactory,
    UserFactory,
    complete_letter,
    inspector_user,
    letter_led_by,
    qa_manager_user,
)
from tests.s3 import PREFIX, portal_storage, s3_fixture, s3_server_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def published_letter():
    """A letter written, approved and published through the services."""
    inspector, qa = inspector_user(), qa_manager_user()
    letter = letter_led_by(inspector)
    Visit.objects.filter(pk=letter.visit_id).update(created_by=inspector)
    letter = Letter.objects.get(pk=letter.pk)
    review.letter_submit(letter=letter, by=inspector)
    review.letter_approve(letter=letter, by=qa)
    return publication.letter_publish(letter=letter, by=qa)


def authority_user(version):
    user = UserFactory(username="la-user")
    roles.grant(user, roles.AUTHORITY_USER)
    AuthorityUser.objects.create(user=user, authority=version.authority)
    return user


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def test_publishing_stores_the_pdf_in_the_bucket(s3, settings):
    """The published PDF is an object in the bucket, under the prefix, with the bytes
    whose SHA-256 the version records; nothing is written to MEDIA_ROOT."""
    version = published_letter()
    assert s3.keys() == [f"{PREFIX}/{version.pdf.name}"]
    stored = s3.get(version.pdf.name)
    assert stored.startswith(b"%PDF")
    assert sha256(stored) == version.sha256
    assert len(stored) == version.pdf_size
    assert [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()] == []


def test_imported_original_is_stored_in_the_bucket(s3):
    """An imported letter's original PDF goes to the bucket, byte for byte."""
    original = b"%PDF-1.7\n% the letter as Ofsted published it\n"
    letter = complete_letter()
    version = publication.letter_publish_imported(letter=letter, by=None, pdf=original)
    assert s3.keys() == [f"{PREFIX}/{version.pdf.name}"]
    assert s3.get(version.pdf.name) == original


def test_download_gives_the_bucket_bytes_and_is_audited(s3, client):
    """The authority's user downloads, through the portal, the bytes in the bucket, and
    the download is in the audit log."""
    version = published_letter()
    user = authority_user(version)
    client.force_login(user)
    response = client.get(reverse("letters:version-pdf", args=[version.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    downloaded = b"".join(response.streaming_content)
    assert downloaded == s3.get(version.pdf.name)
    assert sha256(downloaded) == version.sha256
    event = AuditEvent.objects.get(action="version.download")
    assert event.actor == user
    assert event.target_id == version.letter_id
    assert event.detail["version"] == version.number


def test_a_file_changed_in_the_bucket_is_not_sent(s3, client, caplog):
    """Bytes changed in the bucket after publication fail the SHA-256 check: the download
    is refused with an error, nothing of the file is sent, and no download is recorded."""
    version = published_letter()
    tampered = b"%PDF-1.7\n% not the letter that was published\n"
    s3.put(version.pdf.name, tampered)
    assert s3.get(version.pdf.name) == tampered
    client.force_login(authority_user(version))
    with caplog.at_level(logging.ERROR, logger="letters.publication.views"):
        response = client.get(reverse("letters:version-pdf", args=[version.pk]))
    assert response.status_code == 500
    assert not response.streaming
    assert b"not the letter" not in response.content
    assert response["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(action="version.download").exists()
    assert "does not match its SHA-256" in caplog.text


def test_verify_published_checks_the_bucket(s3):
    """verify_published re-hashes the objects in the bucket and reports a changed one."""
    version = published_letter()
    call_command("verify_published", stdout=io.StringIO())
    s3.put(version.pdf.name, b"%PDF-1.7 changed")
    with pytest.raises(CommandError, match="1 of 1 published PDFs do not match"):
        call_command("verify_published", stdout=io.StringIO(), stderr=io.StringIO())


def test_office_logo_in_the_bucket_is_printed(s3):
    """An office logo stored in the bucket is read through the storage and printed in the
    letterhead."""
    logo = io.BytesIO()
    Image.new("RGB", (37, 23), (0, 94, 165)).save(logo, format="PNG")
    office = OfficeFactory()
    office.logo.save("crest.png", ContentFile(logo.getvalue()))
    assert s3.keys() == [f"{PREFIX}/{office.logo.name}"]
    letter = complete_letter(office=office)
    with pikepdf.open(io.BytesIO(letter_pdf(letter))) as pdf:
        sizes = {
            (int(image.Width), int(image.Height))
            for page in pdf.pages
            for image in page.get_images().values()
        }
    assert (37, 23) in sizes


def test_stored_objects_are_private(s3):
    """A published PDF in the bucket has no public grant, and a request without
    credentials is refused."""
    version = published_letter()
    key = f"{PREFIX}/{version.pdf.name}"
    grants = s3.client.get_object_acl(Bucket=s3.bucket, Key=key)["Grants"]
    public = [grant for grant in grants if grant["Grantee"].get("Type") == "Group"]
    assert public == []
    assert s3.anonymous_get(version.pdf.name) == 403


def test_urls_to_stored_files_are_signed(s3):
    """A URL to a stored file carries a signature that expires; the bare address is
    refused."""
    name = default_storage.save("office-logos/signed.png", ContentFile(b"png"))
    url = default_storage.url(name)
    assert "X-Amz-Signature=" in url
    assert "X-Amz-Expires=" in url
    assert s3.anonymous_get(name) == 403


def test_settings_keep_files_local_without_a_bucket(monkeypatch):
    """Without DJANGO_S3_BUCKET the stored files stay in MEDIA_ROOT."""
    storage = portal_storage({}, monkeypatch)
    assert storage == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_settings_make_a_private_signed_s3_storage(monkeypatch):
    """DJANGO_S3_BUCKET makes S3 the default storage: no ACL (private), signed URLs, no
    file written over, and boto3's own credentials when no keys are given."""
    storage = portal_storage(
        {"DJANGO_S3_BUCKET": "letters", "DJANGO_S3_PREFIX": "/p/"}, monkeypatch
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "letters"
    assert options["location"] == "p"
    assert options["default_acl"] is None
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False
    assert "access_key" not in options
    assert "secret_key" not in options
