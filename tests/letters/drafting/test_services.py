import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEvent
from inspections.models import Involvement
from letters.drafting.services import StaleEdit, item_delete, item_update, move
from letters.models import Item, Letter
from tests.factories import ItemFactory, SectionFactory, inspector_user, letter_led_by

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return inspector_user()


@pytest.fixture
def item(author):
    letter = letter_led_by(author)
    return letter.sections.first().items.first()


def test_item_update_writes_and_increments(item, author):
    """A save based on the stored revision is written, and the revision moves on."""
    item_update(item=item, by=author, based_on=1, values={"text": "New."})
    item.refresh_from_db()
    assert (item.text, item.revision) == ("New.", 2)


def test_item_update_audits_the_change_with_before_and_after(item, author):
    """One audit event, naming the item, with the text before and after."""
    before = item.text
    item_update(item=item, by=author, based_on=1, values={"text": "New."})
    event = AuditEvent.objects.get(action="item.change")
    assert event.actor == author
    assert event.detail["item"] == item.pk
    assert event.detail["changes"] == {"text": [before, "New."]}


def test_item_update_records_the_writer_as_involved(item, author):
    """Whoever changes the letter is on its record for good (the four-eyes rule)."""
    item_update(item=item, by=author, based_on=1, values={"text": "New."})
    assert Involvement.objects.filter(
        visit=item.section.letter.visit, user=author, kind=Involvement.Kind.WROTE
    ).exists()


def test_item_update_refuses_a_stale_save_and_writes_nothing(item, author):
    """A save based on an old revision raises StaleEdit carrying the stored version."""
    Item.objects.filter(pk=item.pk).update(text="Theirs.", revision=3)
    with pytest.raises(StaleEdit) as refused:
        item_update(item=item, by=author, based_on=1, values={"text": "Mine."})
    assert refused.value.current.text == "Theirs."
    assert Item.objects.get(pk=item.pk).text == "Theirs."
    assert not AuditEvent.objects.filter(action="item.change").exists()


def test_item_update_reports_a_deleted_object(item, author):
    """Saving something deleted meanwhile raises StaleEdit with no current version."""
    Item.objects.filter(pk=item.pk).delete()
    with pytest.raises(StaleEdit) as refused:
        item_update(item=item, by=author, based_on=1, values={"text": "Mine."})
    assert refused.value.current is None


def test_item_update_is_refused_once_the_letter_is_submitted(item, author):
    """The service checks the letter's state itself, under the lock: nothing is written."""
    Letter.objects.filter(pk=item.section.letter_id).update(status=Letter.Status.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        item_update(item=item, by=author, based_on=1, values={"text": "Late."})
    assert Item.objects.get(pk=item.pk).revision == 1


def test_item_update_is_refused_to_someone_off_the_team(item):
    """Another inspector cannot change the letter through the service."""
    stranger = inspector_user(username="stranger", full_name="Lee Stranger")
    with pytest.raises(PermissionDenied):
        item_update(item=item, by=stranger, based_on=1, values={"text": "Mine."})


def test_item_delete_refuses_a_changed_object(item, author):
    """An object changed since it was shown is not deleted."""
    Item.objects.filter(pk=item.pk).update(revision=2)
    with pytest.raises(StaleEdit):
        item_delete(item=item, by=author, based_on=1)
    assert Item.objects.filter(pk=item.pk).exists()


def test_move_renumbers_positions_from_one(author):
    """After a move, positions run 1..n in the new order (gaps left by deletes close)."""
    letter = letter_led_by(author)
    section = SectionFactory(letter=letter, position=9)
    a = ItemFactory(section=section, position=2, text="a")
    b = ItemFactory(section=section, position=5, text="b")
    c = ItemFactory(section=section, position=9, text="c")
    assert move(c, by=author, offset=-1)
    order = list(section.items.order_by("position").values_list("text", "position"))
    assert order == [("a", 1), ("c", 2), ("b", 3)]
    assert {a.pk, b.pk, c.pk} == set(section.items.values_list("pk", flat=True))


def test_move_past_the_end_does_nothing(author):
    """The last item cannot move down."""
    letter = letter_led_by(author)
    section = SectionFactory(letter=letter, position=9)
    ItemFactory(section=section, position=1)
    last = ItemFactory(section=section, position=2)
    assert not move(last, by=author, offset=1)
    assert Item.objects.get(pk=last.pk).position == 2
