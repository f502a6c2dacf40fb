import datetime

import pytest
from django.utils import timezone

from inspections.models import FocusArea, VisitFocusArea
from letters.models import Letter, Section
from letters.publication.services import store_version
from tests.factories import (
    ItemFactory,
    LocalAuthorityFactory,
    SectionFactory,
    complete_letter,
    force_status,
)


def theme(name):
    """A standard ILACS theme (seeded by inspections' migrations)."""
    return FocusArea.objects.get(name=name, is_standard=True)


def publish(letter, *, on=None):
    """Publish the letter as it stands (its version and register entry), on a day."""
    letter = force_status(letter, Letter.Status.PUBLISHED)
    at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(9))) if on else None
    return store_version(
        letter, by=None, html="<p>x</p>", pdf=b"%PDF-1.7 test", stored=[], published_at=at
    )


@pytest.fixture
def make_letter():
    """make_letter(authority=..., start=date, themes=[names], priority=[texts], items=[texts],
    status=..., on=publication date): a letter, published unless another status is given."""

    def make(
        *,
        authority=None,
        start=datetime.date(2024, 3, 5),
        themes=(),
        priority=(),
        items=(),
        status=Letter.Status.PUBLISHED,
        on=None,
    ):
        letter = complete_letter(
            authority=authority or LocalAuthorityFactory(),
            start_date=start,
            end_date=start + datetime.timedelta(days=1),
            letter_date=start + datetime.timedelta(days=28),
        )
        for position, name in enumerate(themes, start=10):
            VisitFocusArea.objects.create(
                visit=letter.visit, focus_area=theme(name), position=position
            )
        overview = letter.sections.get(position=1)
        for position, text in enumerate(items, start=2):
            ItemFactory(section=overview, position=position, text=text)
        if priority:
            section = SectionFactory(
                letter=letter,
                position=3,
                kind=Section.Kind.PRIORITY_ACTIONS,
                heading="Areas for priority action",
            )
            for position, text in enumerate(priority, start=1):
                ItemFactory(section=section, position=position, text=text)
        letter = Letter.objects.get(pk=letter.pk)
        if status == Letter.Status.PUBLISHED:
            publish(letter, on=on or start + datetime.timedelta(days=40))
        else:
            force_status(letter, status)
        return Letter.objects.get(pk=letter.pk)

    return make
