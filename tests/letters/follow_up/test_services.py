"""The priority-action follow-up's services: opening on publication, the due dates on real
calendars, the Department for Education's date, uploads, decisions and reminders."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEvent
from inspections.services import StaleEdit
from letters.follow_up import services
from letters.follow_up.files import PlanRefused
from letters.models import FollowUp, Item, PlanUpload, Reminder
from letters.publication.services import letter_publish
from tests.factories import force_status
from tests.letters.follow_up.conftest import (
    TOLD,
    docx_bytes,
    open_follow_up,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db

D = datetime.date
PLAN = PlanUpload.Kind.ACTION_PLAN
EARLY = PlanUpload.Kind.EARLY_DRAFT


def actions(letter):
    return list(
        AuditEvent.objects.filter(target_id=letter.pk, action__startswith="letter.")
        .order_by("id")
        .values_list("action", flat=True)
    )


def upload(follow_up, by, kind=PLAN, name="plan.pdf", data=None):
    return services.plan_upload(
        follow_up=follow_up, by=by, kind=kind, name=name, data=data or pdf_bytes()
    )


# Opening on publication.


def test_publishing_a_letter_with_priority_actions_opens_its_follow_up(
    world, today, django_capture_on_commit_callbacks
):
    """Publication opens the follow-up in the same transaction, dated the publication day."""
    today(TOLD)
    with django_capture_on_commit_callbacks(execute=True):
        letter_publish(letter=world["letter"], by=world["qa"])
    follow_up = FollowUp.objects.get(letter=world["letter"])
    assert follow_up.dfe_told_on == TOLD
    assert follow_up.state == FollowUp.State.OPEN
    assert actions(world["letter"]) == ["letter.publish", "letter.follow_up_open"]
    opened = [m for m in mail.outbox if m.subject.startswith("Areas for priority action")]
    told = {address for message in opened for address in message.to}
    assert {"la-a@fernshire.example", "lead@ofsted.example", "qa@ofsted.example"} <= told
    assert "la-b@fernshire.example" not in told


def test_publishing_a_letter_without_priority_actions_opens_none(world, today):
    """A priority-action section with no items (its 'none' statement) opens no follow-up."""
    Item.objects.filter(section__letter=world["letter"], section__kind="priority").delete()
    letter = force_status(world["letter"], "approved")  # its fingerprint, without the item
    today(TOLD)
    letter_publish(letter=letter, by=world["qa"])
    assert not FollowUp.objects.exists()
    assert "letter.follow_up_open" not in actions(letter)


def test_a_letter_published_again_keeps_its_first_follow_up(world, today):
    """A correction published again opens no second follow-up and keeps the first dates."""
    first = open_follow_up(world, today)
    today(D(2025, 2, 3))
    assert services.follow_up_open(letter=world["letter"], by=world["qa"]) is None
    assert FollowUp.objects.get().pk == first.pk
    assert FollowUp.objects.get().dfe_told_on == TOLD


def test_the_follow_up_opens_in_the_publications_transaction(world, today, monkeypatch):
    """If opening fails, nothing is published either: one transaction."""
    from letters import notifications

    def broken(follow_up):
        raise RuntimeError("The mail queue is down")

    monkeypatch.setattr(notifications, "follow_up_opened", broken)
    today(TOLD)
    with pytest.raises(RuntimeError):
        letter_publish(letter=world["letter"], by=world["qa"])
    assert not FollowUp.objects.exists()
    assert not world["letter"].versions.exists()
    assert world["letter"].__class__.objects.get(pk=world["letter"].pk).status == "approved"


# The due dates, on real calendars (counted by hand from England's bank holidays).


@pytest.mark.parametrize(
    "told,early,plan",
    [
        # Friday 20 December 2024: Christmas Day, Boxing Day and New Year's Day skipped;
        # 20 working days end on Wednesday 22 January, 70 on Wednesday 2 April 2025.
        (D(2024, 12, 20), D(2025, 1, 22), D(2025, 4, 2)),
        # Monday 24 March 2025: Good Friday and Easter Monday skipped (20 working days end
        # on Wednesday 23 April), then the May bank holidays (5 and 26 May): 70 end on
        # Friday 4 July.
        (D(2025, 3, 24), D(2025, 4, 23), D(2025, 7, 4)),
    ],
)
def test_the_due_dates_count_working_days_on_real_calendars(world, today, told, early, plan):
    """20 and 70 working days after the day the DfE was told, bank holidays skipped."""
    follow_up = open_follow_up(world, today, day=told)
    assert (follow_up.early_draft_due, follow_up.action_plan_due) == (early, plan)


def test_recording_the_dfe_date_moves_both_due_dates(world, today, follow_up):
    """Told on 24 March 2025 instead: the due dates follow, audited with before and after."""
    today(D(2025, 3, 25))
    services.follow_up_record_dfe_date(
        follow_up=follow_up, by=world["lead"], dfe_told_on=D(2025, 3, 24), based_on=1
    )
    follow_up.refresh_from_db()
    assert (follow_up.early_draft_due, follow_up.action_plan_due) == (D(2025, 4, 23), D(2025, 7, 4))
    assert follow_up.dfe_recorded_by == world["lead"]
    event = AuditEvent.objects.get(action="letter.follow_up_dfe_told")
    assert event.detail["changes"]["dfe_told_on"] == ["2024-12-20", "2025-03-24"]


def test_a_dfe_date_still_to_come_is_refused(world, today, follow_up):
    """The DfE cannot have been told tomorrow: refused, nothing written."""
    with pytest.raises(ValidationError):
        services.follow_up_record_dfe_date(
            follow_up=follow_up, by=world["qa"], dfe_told_on=D(2024, 12, 23), based_on=1
        )
    assert FollowUp.objects.get().dfe_told_on == TOLD
    assert not AuditEvent.objects.filter(action="letter.follow_up_dfe_told").exists()


def test_a_dfe_date_based_on_an_old_revision_is_stale(world, today, follow_up):
    """Two people recording the date: the second, based on the first page, is told."""
    services.follow_up_record_dfe_date(
        follow_up=follow_up, by=world["qa"], dfe_told_on=D(2024, 12, 19), based_on=1
    )
    with pytest.raises(StaleEdit):
        services.follow_up_record_dfe_date(
            follow_up=follow_up, by=world["lead"], dfe_told_on=D(2024, 12, 18), based_on=1
        )
    assert FollowUp.objects.get().dfe_told_on == D(2024, 12, 19)


def test_the_authority_does_not_record_the_dfe_date(world, today, follow_up):
    """Only the team or a QA manager records it."""
    with pytest.raises(PermissionDenied):
        services.follow_up_record_dfe_date(
            follow_up=follow_up, by=world["la"], dfe_told_on=TOLD, based_on=1
        )


# Uploads.


def test_an_action_plan_is_stored_with_its_sha256(world, today, follow_up):
    """The authority's PDF is stored through the storage; the follow-up awaits a decision."""
    data = pdf_bytes()
    plan = upload(follow_up, world["la"], data=data)
    with default_storage.open(plan.file.name, "rb") as stored:
        assert stored.read() == data
    assert plan.size == len(data)
    assert plan.content_type == "application/pdf"
    assert FollowUp.objects.get().state == FollowUp.State.PLAN_RECEIVED
    assert actions(world["letter"])[-1] == "letter.action_plan_upload"


def test_an_early_draft_in_word_is_stored_and_leaves_the_follow_up_open(world, today, follow_up):
    """A .docx early draft is kept; the follow-up still awaits the action plan."""
    draft = upload(follow_up, world["la"], kind=EARLY, name="Early draft.docx", data=docx_bytes())
    assert draft.original_name == "Early draft.docx"
    assert draft.file.name.endswith(".docx")
    assert FollowUp.objects.get().state == FollowUp.State.OPEN


def test_an_upload_after_its_due_date_is_marked_late(world, today, follow_up):
    """The early draft uploaded on 23 January 2025 (due the 22nd) is late."""
    today(D(2025, 1, 23))
    draft = upload(follow_up, world["la"], kind=EARLY)
    assert draft.late


@pytest.mark.parametrize("who", ["other_la", "lead", "qa", "outsider"])
def test_only_the_letters_own_authority_uploads(world, today, follow_up, who):
    """Another authority, the team and QA are refused, and nothing is stored."""
    with pytest.raises(PermissionDenied):
        upload(follow_up, world[who])
    assert not PlanUpload.objects.exists()
    assert not default_storage.exists("follow-up")


def test_a_file_that_is_not_a_plan_is_refused_by_the_service_too(world, today, follow_up):
    """The service checks the content itself: a program named .pdf is refused."""
    with pytest.raises(PlanRefused):
        upload(follow_up, world["la"], name="plan.pdf", data=b"MZ\x90\x00" + b"\x00" * 100)
    assert not PlanUpload.objects.exists()
    assert not default_storage.exists("follow-up")


# Decisions.


def test_accepting_the_action_plan_closes_the_follow_up(
    world, today, follow_up, django_capture_on_commit_callbacks
):
    """Accepted by the lead: the follow-up is accepted, the authority told."""
    plan = upload(follow_up, world["la"])
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_decide(upload=plan, by=world["lead"], accept=True)
    plan.refresh_from_db()
    assert (plan.decision, plan.decided_by) == ("accepted", world["lead"])
    assert FollowUp.objects.get().state == FollowUp.State.ACCEPTED
    assert actions(world["letter"])[-1] == "letter.action_plan_accept"
    accepted = [m for m in mail.outbox if m.subject.startswith("Action plan accepted")]
    assert any("la-a@fernshire.example" in m.to for m in accepted)


def test_returning_a_plan_needs_a_reason_and_opens_the_follow_up_again(world, today, follow_up):
    """Returned with a reason; without one, refused and nothing written."""
    plan = upload(follow_up, world["la"])
    with pytest.raises(ValidationError):
        services.plan_decide(upload=plan, by=world["qa"], accept=False, reason="  ")
    assert PlanUpload.objects.get().decision == ""
    services.plan_decide(upload=plan, by=world["qa"], accept=False, reason="Add timescales.")
    plan.refresh_from_db()
    assert (plan.decision, plan.reason) == ("returned", "Add timescales.")
    assert FollowUp.objects.get().state == FollowUp.State.OPEN
    assert actions(world["letter"])[-1] == "letter.action_plan_return"


def test_a_plan_is_decided_once(world, today, follow_up):
    """A second decision on the same plan is refused."""
    plan = upload(follow_up, world["la"])
    services.plan_decide(upload=plan, by=world["qa"], accept=True)
    with pytest.raises(ValidationError):
        services.plan_decide(upload=plan, by=world["lead"], accept=False, reason="No.")
    assert PlanUpload.objects.get().decision == "accepted"


def test_the_authority_does_not_decide_on_its_own_plan(world, today, follow_up):
    """Only the team or a QA manager accepts or returns a plan."""
    plan = upload(follow_up, world["la"])
    with pytest.raises(PermissionDenied):
        services.plan_decide(upload=plan, by=world["la"], accept=True)
    assert FollowUp.objects.get().state == FollowUp.State.PLAN_RECEIVED


def test_nothing_more_is_uploaded_once_the_plan_is_accepted(world, today, follow_up):
    """The accepted follow-up is closed to uploads."""
    plan = upload(follow_up, world["la"])
    services.plan_decide(upload=plan, by=world["qa"], accept=True)
    with pytest.raises(PermissionDenied):
        upload(follow_up, world["la"])


# Reminders (early draft due Wednesday 22 January 2025, action plan Wednesday 2 April).


def reminder_mail():
    return [m for m in mail.outbox if m.subject.startswith("Reminder")]


def test_a_reminder_goes_five_working_days_before_the_early_draft_is_due(
    world, today, follow_up, django_capture_on_commit_callbacks
):
    """On Wednesday 15 January (5 working days before), the authority and team are told."""
    today(D(2025, 1, 15))
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_reminders()
    assert [line.line for line in sent] == [
        f"Reminded: letter {world['letter'].pk} ({world['letter'].visit}): "
        "early draft coming, 2025-01-22"
    ]
    told = {address for message in reminder_mail() for address in message.to}
    assert {"la-a@fernshire.example", "lead@ofsted.example"} <= told
    assert Reminder.objects.get().moment == Reminder.Moment.BEFORE


def test_no_reminder_goes_before_the_window(world, today, follow_up):
    """On Tuesday 14 January (6 working days before), nothing is sent."""
    today(D(2025, 1, 14))
    assert services.send_reminders() == []
    assert not Reminder.objects.exists()


def test_each_reminder_is_sent_once(world, today, follow_up, django_capture_on_commit_callbacks):
    """A second run on the same day, or the next, sends nothing new."""
    today(D(2025, 1, 15))
    with django_capture_on_commit_callbacks(execute=True):
        services.send_reminders()
    first = len(mail.outbox)
    today(D(2025, 1, 16))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders() == []
    assert len(mail.outbox) == first
    assert AuditEvent.objects.filter(action="letter.follow_up_reminder").count() == 1


def test_on_the_day_a_reminder_goes_if_nothing_was_uploaded(world, today, follow_up):
    """On 22 January, with nothing uploaded, the early draft's day reminder goes."""
    today(D(2025, 1, 22))
    sent = services.send_reminders()
    assert [line.line.rsplit(": ", 1)[1] for line in sent] == ["early draft due, 2025-01-22"]


def test_no_reminder_goes_for_what_was_uploaded(world, today, follow_up):
    """The early draft came: no reminder on its day; the action plan's come later."""
    upload(follow_up, world["la"], kind=EARLY)
    today(D(2025, 1, 22))
    assert services.send_reminders() == []
    today(D(2025, 3, 26))  # 5 working days before Wednesday 2 April
    sent = services.send_reminders()
    assert [line.line.rsplit(": ", 1)[1] for line in sent] == ["action plan coming, 2025-04-02"]


def test_no_reminder_goes_once_the_plan_is_accepted(world, today, follow_up):
    """An accepted follow-up needs no reminders."""
    plan = upload(follow_up, world["la"])
    services.plan_decide(upload=plan, by=world["qa"], accept=True)
    today(D(2025, 4, 2))
    assert services.send_reminders() == []


def test_the_command_prints_a_line_a_reminder_then_nothing_new(world, today, follow_up, capsys):
    """send_reminders prints each reminder; run again, it says none are due."""
    today(D(2025, 1, 15))
    call_command("send_reminders")
    assert "early draft coming, 2025-01-22" in capsys.readouterr().out
    call_command("send_reminders")
    assert capsys.readouterr().out.strip() == "No reminders are due"


def test_the_command_fails_in_one_line(world, today, follow_up, monkeypatch):
    """A failure exits non-zero with its reason in one line."""
    from letters.management.commands import send_reminders as command

    def broken(**kwargs):
        raise RuntimeError("the database\nwent away")

    monkeypatch.setattr(command, "send_reminders", broken)
    with pytest.raises(
        CommandError, match=r"^Reminders could not be sent: the database went away$"
    ):
        call_command("send_reminders")
