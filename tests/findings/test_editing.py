import pytest

from letters.drafting.services import StaleEdit, delete_revision, move, save_revision
from letters.models import Item
from tests.factories import ItemFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_save_revision_writes_and_increments():
    """A save based on the stored revision is written, and the revision moves on."""
    item = ItemFactory(text="Old.")
    item.text = "New."
    save_revision(item, based_on=1, fields=["text"])
    item.refresh_from_db()
    assert (item.text, item.revision) == ("New.", 2)


def test_save_revision_refuses_a_stale_save_and_writes_nothing():
    """A save based on an old revision raises StaleEdit carrying the stored version."""
    item = ItemFactory(text="Theirs.")
    Item.objects.filter(pk=item.pk).update(revision=3)
    item.text = "Mine."
    with pytest.raises(StaleEdit) as refused:
        save_revision(item, based_on=1, fields=["text"])
    assert refused.value.current.text == "Theirs."
    assert Item.objects.get(pk=item.pk).text == "Theirs."


def test_save_revision_reports_a_deleted_object():
    """Saving something deleted meanwhile raises StaleEdit with no current version."""
    item = ItemFactory()
    Item.objects.filter(pk=item.pk).delete()
    with pytest.raises(StaleEdit) as refused:
        save_revision(item, based_on=1, fields=["text"])
    assert refused.value.current is None


def test_delete_revision_refuses_a_changed_object():
    """An object changed since it was shown is not deleted."""
    item = ItemFactory()
    Item.objects.filter(pk=item.pk).update(revision=2)
    with pytest.raises(StaleEdit):
        delete_revision(item, based_on=1)
    assert Item.objects.filter(pk=item.pk).exists()


def test_move_renumbers_positions_from_one():
    """After a move, positions run 1..n in the new order (gaps left by deletes close)."""
    section = SectionFactory()
    a = ItemFactory(section=section, position=2, text="a")
    b = ItemFactory(section=section, position=5, text="b")
    c = ItemFactory(section=section, position=9, text="c")
    assert move(c, offset=-1)
    order = list(section.items.order_by("position").values_list("text", "position"))
    assert order == [("a", 1), ("c", 2), ("b", 3)]
    assert {a.pk, b.pk, c.pk} == set(section.items.values_list("pk", flat=True))


def test_move_past_the_end_does_nothing():
    """The last item cannot move down."""
    section = SectionFactory()
    ItemFactory(section=section, position=1)
    last = ItemFactory(section=section, position=2)
    assert not move(last, offset=1)
    assert Item.objects.get(pk=last.pk).position == 2
