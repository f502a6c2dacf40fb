"""The follow-up's pages: the authority uploads, the team records the DfE date and decides,
downloads are verified and audited, and everyone else finds nothing."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from letters.follow_up import services
from letters.models import FollowUp, PlanUpload
from tests.letters.follow_up.conftest import docx_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

D = datetime.date


def url(name, follow_up, *args):
    return reverse(f"letters:{name}", args=[follow_up.letter.visit_id, *args])


def post_file(client, follow_up, name, data, kind="action_plan"):
    return client.post(
        url("follow-up-upload", follow_up),
        {"kind": kind, "document": SimpleUploadedFile(name, data)},
    )


def stored_files():
    if not default_storage.exists("follow-up"):
        return []
    folders, files = default_storage.listdir("follow-up")
    return files + [f for d in folders for f in default_storage.listdir(f"follow-up/{d}")[1]]


def test_the_authority_uploads_its_action_plan(client, world, follow_up):
    """A PDF: stored, listed on the follow-up page, awaiting a decision."""
    client.force_login(world["la"])
    response = post_file(client, follow_up, "Fernshire action plan.pdf", pdf_bytes())
    assert response.status_code == 302
    assert response["Location"] == url("follow-up", follow_up)
    page = client.get(url("follow-up", follow_up)).content.decode()
    assert "Fernshire action plan.pdf" in page
    assert "Action plan received" in page
    assert "Awaiting a decision" in page


def test_the_authority_uploads_an_early_draft_in_word(client, world, follow_up):
    """A .docx early draft is taken."""
    client.force_login(world["la"])
    response = post_file(client, follow_up, "draft.docx", docx_bytes(), kind="early_draft")
    assert response.status_code == 302
    assert PlanUpload.objects.get().kind == "early_draft"


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("plan.exe", b"MZ\x90\x00" + b"\x00" * 100, "must be a PDF or a Word document"),
        ("plan.zip", b"PK\x03\x04" + b"\x00" * 100, "must be a PDF or a Word document"),
        ("plan.pdf", b"MZ\x90\x00" + b"\x00" * 100, "must be a PDF or a Word document"),
    ],
)
def test_a_file_that_is_not_a_plan_gets_an_error_and_changes_nothing(
    client, world, follow_up, name, data, message
):
    """A GOV.UK error summary; no upload, no file, no event, the state unchanged."""
    client.force_login(world["la"])
    response = post_file(client, follow_up, name, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert message in page
    assert not PlanUpload.objects.exists()
    assert stored_files() == []
    assert not AuditEvent.objects.filter(action="letter.action_plan_upload").exists()
    assert FollowUp.objects.get().state == FollowUp.State.OPEN


def test_a_file_over_the_limit_gets_an_error(client, world, follow_up, settings):
    """Larger than ACTION_PLAN_MAX_BYTES: refused with the limit, nothing stored."""
    settings.ACTION_PLAN_MAX_BYTES = 1024 * 1024
    client.force_login(world["la"])
    data = pdf_bytes() + b"\n%" + b"x" * (1024 * 1024)
    response = post_file(client, follow_up, "plan.pdf", data)
    assert "must be smaller than 1 MB" in response.content.decode()
    assert not PlanUpload.objects.exists()


def test_no_kind_chosen_keeps_the_page_with_an_error(client, world, follow_up):
    """Without saying what the file is, nothing is stored."""
    client.force_login(world["la"])
    response = client.post(
        url("follow-up-upload", follow_up),
        {"document": SimpleUploadedFile("plan.pdf", pdf_bytes())},
    )
    assert "Select whether it is the early draft or the action plan" in response.content.decode()
    assert not PlanUpload.objects.exists()


@pytest.mark.parametrize("name", ["follow-up", "follow-up-upload", "follow-up-dfe"])
def test_another_authority_finds_no_follow_up(client, world, follow_up, name):
    """Another authority's user gets 404, as for no follow-up, and the refusal is audited."""
    client.force_login(world["other_la"])
    assert client.get(url(name, follow_up)).status_code == 404
    assert AuditEvent.objects.filter(action="access.refused").exists()


def test_another_authority_cannot_upload_to_it(client, world, follow_up):
    """A POST by another authority: 404, nothing stored."""
    client.force_login(world["other_la"])
    response = post_file(client, follow_up, "plan.pdf", pdf_bytes())
    assert response.status_code == 404
    assert not PlanUpload.objects.exists()


def test_an_inspector_not_on_the_team_finds_no_follow_up(client, world, follow_up):
    """The follow-up is the team's, QA's and the authority's."""
    client.force_login(world["outsider"])
    assert client.get(url("follow-up", follow_up)).status_code == 404


def test_the_team_sees_the_follow_up_from_the_visit(client, world, follow_up):
    """The visit's page links to the follow-up once the letter is published."""
    world["letter"].versions.create(
        authority=world["letter"].visit.authority,
        number=1,
        title="Letter",
        html="<p>x</p>",
        pdf="published/x.pdf",
        pdf_size=1,
        sha256="0" * 64,
    )
    client.force_login(world["lead"])
    page = client.get(reverse("letters:visit-detail", args=[follow_up.letter.visit_id]))
    assert url("follow-up", follow_up) in page.content.decode()


def test_the_authority_finds_its_follow_up_among_its_letters(client, world, follow_up):
    """The authority's letters page lists its action plans."""
    client.force_login(world["la"])
    page = client.get(reverse("letters:authority-letters")).content.decode()
    assert url("follow-up", follow_up) in page


# Downloads.


def uploaded(world, follow_up, data=None):
    return services.plan_upload(
        follow_up=follow_up,
        by=world["la"],
        kind="action_plan",
        name="plan.pdf",
        data=data or pdf_bytes(),
    )


def test_a_download_sends_the_stored_bytes_and_is_audited(client, world, follow_up):
    """The QA manager downloads the plan as uploaded; the download is recorded."""
    data = pdf_bytes()
    plan = uploaded(world, follow_up, data)
    client.force_login(world["qa"])
    response = client.get(url("follow-up-download", follow_up, plan.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    event = AuditEvent.objects.get(action="letter.action_plan_download")
    assert (event.actor, event.detail["upload"]) == (world["qa"], plan.pk)


def test_a_file_changed_in_storage_is_not_sent(client, world, follow_up):
    """Bytes that no longer match their SHA-256: a 500, not a download, not audited."""
    plan = uploaded(world, follow_up)
    with default_storage.open(plan.file.name, "wb") as stored:
        stored.write(b"%PDF-1.7 tampered")
    client.force_login(world["lead"])
    response = client.get(url("follow-up-download", follow_up, plan.pk))
    assert response.status_code == 500
    assert not AuditEvent.objects.filter(action="letter.action_plan_download").exists()


def test_another_authority_cannot_download(client, world, follow_up):
    """404 for another authority's plan."""
    plan = uploaded(world, follow_up)
    client.force_login(world["other_la"])
    assert client.get(url("follow-up-download", follow_up, plan.pk)).status_code == 404


# The team's pages.


def test_the_qa_manager_accepts_the_plan(client, world, follow_up):
    """Accepting on the page closes the follow-up."""
    plan = uploaded(world, follow_up)
    client.force_login(world["qa"])
    response = client.post(url("follow-up-decide", follow_up, plan.pk), {"decision": "accept"})
    assert response.status_code == 302
    assert FollowUp.objects.get().state == FollowUp.State.ACCEPTED


def test_returning_without_a_reason_keeps_the_page(client, world, follow_up):
    """An error on the reason, and nothing decided."""
    plan = uploaded(world, follow_up)
    client.force_login(world["lead"])
    response = client.post(
        url("follow-up-decide", follow_up, plan.pk), {"decision": "return", "reason": ""}
    )
    assert "Enter the reason the plan is returned" in response.content.decode()
    assert PlanUpload.objects.get().decision == ""


def test_a_plan_decided_meanwhile_keeps_the_typed_reason(client, world, follow_up):
    """Someone accepted it first: the page says so, and the reason typed stays."""
    plan = uploaded(world, follow_up)
    services.plan_decide(upload=plan, by=world["qa"], accept=True)
    client.force_login(world["lead"])
    response = client.post(
        url("follow-up-decide", follow_up, plan.pk),
        {"decision": "return", "reason": "The timescales are missing."},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "accepted already" in page
    assert "The timescales are missing." in page


def test_the_team_records_the_dfe_date(client, world, follow_up, today):
    """The date saved; the due dates follow."""
    today(D(2025, 3, 25))
    client.force_login(world["lead"])
    response = client.post(
        url("follow-up-dfe", follow_up),
        {"dfe_told_on_0": "24", "dfe_told_on_1": "3", "dfe_told_on_2": "2025", "revision": "1"},
    )
    assert response.status_code == 302
    assert FollowUp.objects.get().action_plan_due == D(2025, 7, 4)


def test_the_authority_may_not_record_the_dfe_date(client, world, follow_up):
    """It reads the follow-up, and may not change its dates: 403."""
    client.force_login(world["la"])
    assert client.get(url("follow-up-dfe", follow_up)).status_code == 403


def test_the_team_may_not_upload(client, world, follow_up):
    """Uploads are the authority's: 403 for the lead inspector."""
    client.force_login(world["lead"])
    assert post_file(client, follow_up, "plan.pdf", pdf_bytes()).status_code == 403
