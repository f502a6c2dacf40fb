import datetime
import io

import docx
import pytest
from pypdf import PdfWriter

from letters.follow_up import services
from letters.models import Section
from tests.factories import (
    ItemFactory,
    LocalAuthorityFactory,
    SectionFactory,
    force_status,
    inspector_user,
    letter_led_by,
    qa_manager_user,
)
from tests.letters.factual_accuracy.conftest import Day, authority_user

__all__ = ["authority_user"]

# Friday 20 December 2024: the Department for Education is told before Christmas.
TOLD = datetime.date(2024, 12, 20)


def pdf_bytes(pages=1):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(text="Action plan for the areas for priority action."):
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def add_priority_actions(letter, items=1):
    """An "Areas for priority action" section with `items` items (none: its statement)."""
    section = SectionFactory(
        letter=letter,
        position=9,
        kind=Section.Kind.PRIORITY_ACTIONS,
        heading="Areas for priority action",
        none_statement="There are no areas for priority action.",
    )
    for n in range(items):
        ItemFactory(section=section, position=n + 1, text=f"Priority action {n + 1}.")
    return section


@pytest.fixture
def today(monkeypatch):
    return Day(monkeypatch)


@pytest.fixture
def world(db):
    """An approved letter of authority A with one priority action: its lead, a team
    member, an independent QA manager (the visit's), a user of authority A and one of B."""
    lead = inspector_user(username="lead", full_name="Robin Ashdown")
    lead.email = "lead@ofsted.example"
    lead.save()
    qa = qa_manager_user(username="qa", full_name="Hazel Penrose")
    qa.email = "qa@ofsted.example"
    qa.save()
    authority_a = LocalAuthorityFactory(name="Fernshire")
    letter = letter_led_by(
        lead,
        authority=authority_a,
        start_date=datetime.date(2024, 11, 26),
        end_date=datetime.date(2024, 11, 28),
    )
    letter.visit.qa_manager = qa.inspector
    letter.visit.save()
    add_priority_actions(letter)
    letter = force_status(letter, "approved")
    return {
        "letter": letter,
        "lead": lead,
        "qa": qa,
        "outsider": inspector_user(username="outsider", full_name="Sam Other"),
        "la": authority_user("la-a", authority_a),
        "other_la": authority_user("la-b", LocalAuthorityFactory(name="Marshton")),
    }


def open_follow_up(world, today, day=TOLD):
    """The letter published (without printing it) and its follow-up opened on `day`."""
    today(day)
    letter = force_status(world["letter"], "published")
    return services.follow_up_open(letter=letter, by=world["qa"])


@pytest.fixture
def follow_up(world, today):
    return open_follow_up(world, today)
