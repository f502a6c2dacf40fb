"""Keeping a form's unsaved text: only the user's own forms, never a secret, never too much."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from autosave import services
from autosave.models import FormDraft
from tests.factories import inspector_user

pytestmark = pytest.mark.django_db


def opening(letter):
    return f"/visits/{letter.visit_id}/letter/opening/"


def test_a_draft_keeps_each_fields_values_as_a_list(inspector, letter):
    """What is saved comes back from draft_for, each value as a list, as a form posts it."""
    services.draft_save(by=inspector, key=opening(letter), data={"introduction": "Typed"})
    draft = services.draft_for(user=inspector, key=opening(letter))
    assert draft.data == {"introduction": ["Typed"]}


def test_saving_again_replaces_the_draft(inspector, letter):
    """One draft a user and form: the newest text replaces the older."""
    services.draft_save(by=inspector, key=opening(letter), data={"introduction": "One"})
    services.draft_save(by=inspector, key=opening(letter), data={"introduction": "Two"})
    assert list(FormDraft.objects.values_list("data", flat=True)) == [{"introduction": ["Two"]}]


def test_the_key_is_the_path_alone(inspector, letter):
    """Scheme, host, query and fragment are dropped from the key."""
    draft = services.draft_save(
        by=inspector,
        key=f"http://testserver{opening(letter)}?start=standard#title",
        data={"title": "T"},
    )
    assert draft.key == opening(letter)


def test_tokens_and_passwords_are_never_kept(inspector, letter):
    """The CSRF token, the owner token and any password field are dropped."""
    draft = services.draft_save(
        by=inspector,
        key=opening(letter),
        data={
            "csrfmiddlewaretoken": "secret",
            "_autosave_owner": "signed",
            "password": "hunter2",
            "new_password1": "hunter2",
            "title": "Kept",
        },
    )
    assert draft.data == {"title": ["Kept"]}


@pytest.mark.parametrize(
    "key",
    ["/visits/", "/sign-in/", "/autosave/", "/visits/1/letter/opening/x/", "", None, 7],
)
def test_a_path_that_is_not_a_registered_form_is_refused(inspector, letter, key):
    """Only the paths of the letter forms that keep text are accepted; nothing is written."""
    with pytest.raises(services.BadKey):
        services.draft_save(by=inspector, key=key, data={"title": "x"})
    assert not FormDraft.objects.exists()


def test_a_form_of_someone_elses_letter_is_refused(letter):
    """An inspector not on the visit cannot keep text for its forms."""
    stranger = inspector_user(username="stranger")
    with pytest.raises(services.BadKey):
        services.draft_save(by=stranger, key=opening(letter), data={"title": "x"})
    assert not FormDraft.objects.exists()


def test_too_much_text_is_refused(inspector, letter, settings):
    """More than AUTOSAVE_MAX_BYTES is refused, and nothing is written."""
    settings.AUTOSAVE_MAX_BYTES = 1000
    with pytest.raises(services.TooLarge):
        services.draft_save(by=inspector, key=opening(letter), data={"preamble": "x" * 1001})
    assert not FormDraft.objects.exists()


def test_values_that_are_not_text_are_refused(inspector, letter):
    """A value must be a string or a list of strings."""
    with pytest.raises(services.ValidationError):
        services.draft_save(by=inspector, key=opening(letter), data={"title": {"a": 1}})


def test_discarding_drops_only_the_users_own_draft(inspector, letter):
    """Another user's draft of the same form stays."""
    member = inspector_user(username="member")
    from tests.factories import TeamMemberFactory

    TeamMemberFactory(visit=letter.visit, inspector=member.inspector, position=5)
    services.draft_save(by=inspector, key=opening(letter), data={"title": "Mine"})
    services.draft_save(by=member, key=opening(letter), data={"title": "Theirs"})
    services.draft_discard(by=inspector, key=opening(letter))
    assert list(FormDraft.objects.values_list("user", flat=True)) == [member.pk]


def test_drafts_are_not_audited(inspector, letter):
    """Keystrokes are not audit events: saving and discarding a draft writes none."""
    before = AuditEvent.objects.count()
    services.draft_save(by=inspector, key=opening(letter), data={"title": "x"})
    services.draft_discard(by=inspector, key=opening(letter))
    assert AuditEvent.objects.count() == before


def test_drafts_left_a_month_are_dropped_at_the_next_save(inspector, letter):
    """A draft nobody came back to for 30 days goes when the user keeps another."""
    old = services.draft_save(by=inspector, key=opening(letter), data={"title": "old"})
    FormDraft.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=31)
    )
    closing = f"/visits/{letter.visit_id}/letter/closing/"
    services.draft_save(by=inspector, key=closing, data={"closing": "new"})
    assert list(FormDraft.objects.values_list("key", flat=True)) == [closing]
