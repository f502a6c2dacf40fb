"""A new letter starts from the template of its type and period (letters.drafting.letter_shapes),
and, while it has no items, can start again from another."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audit.models import AuditEvent
from letters.drafting import letter_shapes
from letters.drafting import services as drafting
from letters.drafting.services import TemplateRefused
from letters.models import Item, Letter, Section
from letters.rendering.compose import compose_letter, letter_queryset
from tests.factories import (
    ItemFactory,
    LocalAuthorityFactory,
    force_status,
    inspector_user,
    letter_led_by,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspector(client):
    user = inspector_user()
    client.force_login(user)
    return user


def new_letter(by, start, kind="focused"):
    visit = drafting.visit_create(
        by=by, authority=LocalAuthorityFactory(), start_date=start, kind=kind
    )
    return letter_queryset().get(visit=visit)


def headings(letter):
    return list(letter.sections.order_by("position").values_list("heading", flat=True))


def test_a_2017_pilot_starts_from_the_pilot_shape(inspector):
    """A pilot visit of August 2017: Overview, Areas of strength, Areas for improvement, and
    no closing paragraph, as the Isle of Wight letter."""
    letter = new_letter(inspector, datetime.date(2017, 8, 1), kind="pilot")
    assert letter.template == letter_shapes.PILOT
    assert headings(letter) == ["Overview", "Areas of strength", "Areas for improvement"]
    assert letter.closing == ""


def test_the_last_day_of_2017_still_takes_the_pilot_shape(inspector):
    """A focused visit before 2018, the first ILACS year, takes the pilot's shape too."""
    assert new_letter(inspector, datetime.date(2017, 12, 31)).template == letter_shapes.PILOT


def test_a_2019_visit_starts_from_the_2018_to_2021_shape(inspector):
    """From 1 January 2018: Overview, What needs to improve (no question mark), Findings,
    and "your next inspection or visit"."""
    letter = new_letter(inspector, datetime.date(2018, 1, 1))
    assert letter.template == letter_shapes.FROM_2018
    assert headings(letter) == [
        "Overview",
        "Areas for priority action",
        "What needs to improve in this area of social work practice",
        "Findings",
    ]
    assert "planning your next inspection or visit" in letter.closing
    assert new_letter(inspector, datetime.date(2019, 12, 4)).template == letter_shapes.FROM_2018


def test_mid_2021_is_the_boundary_of_headline_findings(inspector):
    """The last day of June 2021 keeps the 2018 shape; the first of July takes the new one."""
    before = new_letter(inspector, datetime.date(2021, 6, 30))
    after = new_letter(inspector, datetime.date(2021, 7, 1))
    assert before.template == letter_shapes.FROM_2018
    assert after.template == letter_shapes.FROM_2021


def test_a_2022_visit_starts_from_the_headline_findings_shape(inspector):
    """2022: Headline findings, What needs to improve …?, Main findings, the ILACS paragraph
    and "the next inspection or visit"; no National Framework footnote."""
    letter = new_letter(inspector, datetime.date(2022, 9, 21))
    assert letter.template == letter_shapes.FROM_2021
    assert headings(letter) == [
        "Headline findings",
        "Areas for priority action",
        "What needs to improve in this area of social work practice?",
        "Main findings",
    ]
    assert "(ILACS) framework" in letter.preamble
    assert "planning the next inspection or visit" in letter.closing
    assert not letter.sections.exclude(heading_footnote="").exists()


def test_a_2025_letter_has_the_national_framework_footnote(inspector):
    """From 1 January 2025 the improvement heading carries the footnote, linked to the
    framework, and the letter prints it."""
    assert new_letter(inspector, datetime.date(2024, 12, 31)).template == letter_shapes.FROM_2021
    letter = new_letter(inspector, datetime.date(2025, 1, 1))
    assert letter.template == letter_shapes.FROM_2025
    improvement = letter.sections.get(kind=Section.Kind.IMPROVEMENT)
    assert improvement.heading == "What needs to improve in this area of social work practice?"
    assert "cross-referenced with the outcomes, enablers or principles" in (
        improvement.heading_footnote
    )
    assert letter_shapes.NATIONAL_FRAMEWORK_URL in improvement.heading_footnote
    footnotes = compose_letter(letter).footnotes
    assert [note.number for note in footnotes] == [1]
    assert "Children's Social Care: National Framework" in footnotes[0].text


def test_the_priority_section_says_there_are_none_without_its_lead_in(inspector):
    """Until priority actions are added, the letter prints the "none" statement alone; with
    an action, the lead-in and the action, and no "none" statement."""
    letter = new_letter(inspector, datetime.date(2025, 3, 4))
    priority = next(
        s for s in compose_letter(letter).sections if s.kind == Section.Kind.PRIORITY_ACTIONS
    )
    assert priority.lead_in == []
    assert priority.none_statement == [
        "There are no areas for priority action arising from this visit."
    ]
    section = letter.sections.get(kind=Section.Kind.PRIORITY_ACTIONS)
    drafting.item_add(section=section, by=inspector, text="Keeping in touch with care leavers.")
    letter = letter_queryset().get(pk=letter.pk)
    priority = next(
        s for s in compose_letter(letter).sections if s.kind == Section.Kind.PRIORITY_ACTIONS
    )
    assert priority.lead_in == [letter_shapes.PRIORITY_LEAD_IN]
    assert priority.none_statement == []


def test_the_editor_shows_the_template_and_offers_another(client, inspector):
    """The editor names the template the letter started from and links to the switch."""
    letter = new_letter(inspector, datetime.date(2025, 11, 19))
    response = client.get(reverse("letters:letter-editor", args=[letter.visit_id]))
    assert "From 2025, with the National Framework" in response.text
    assert reverse("letters:letter-template", args=[letter.visit_id]) in response.text


def test_switching_the_template_replaces_sections_and_words(client, inspector):
    """With no items yet, the inspector starts again from the 2018 template: its sections,
    evidence paragraph and closing; the switch is audited with the before and after."""
    letter = new_letter(inspector, datetime.date(2025, 11, 19))
    response = client.post(
        reverse("letters:letter-template", args=[letter.visit_id]),
        {"template": letter_shapes.FROM_2018, "revision": letter.revision},
    )
    assert response.status_code == 302
    letter = Letter.objects.get(pk=letter.pk)
    assert letter.template == letter_shapes.FROM_2018
    assert headings(letter)[-1] == "Findings"
    assert "planning your next inspection or visit" in letter.closing
    event = AuditEvent.objects.filter(action="letter.template").get()
    assert event.detail["template"] == [letter_shapes.FROM_2025, letter_shapes.FROM_2018]


def test_switching_is_refused_once_the_letter_has_items(client, inspector):
    """An item in the letter: the service refuses and nothing changes; the page says why."""
    letter = new_letter(inspector, datetime.date(2025, 11, 19))
    ItemFactory(section=letter.sections.first(), text="Leaders know their services.")
    before = headings(letter)
    with pytest.raises(TemplateRefused):
        drafting.letter_use_template(
            letter=letter, by=inspector, based_on=letter.revision, template=letter_shapes.PILOT
        )
    response = client.post(
        reverse("letters:letter-template", args=[letter.visit_id]),
        {"template": letter_shapes.PILOT, "revision": letter.revision},
    )
    assert response.status_code == 200
    assert "already has items" in response.text
    assert headings(letter) == before
    assert Letter.objects.get(pk=letter.pk).template == letter_shapes.FROM_2025
    assert not AuditEvent.objects.filter(action="letter.template").exists()


def test_the_template_page_shows_no_form_once_there_are_items(client, inspector):
    """With items, the page says the letter keeps its sections and offers no template."""
    letter = letter_led_by(inspector)
    response = client.get(reverse("letters:letter-template", args=[letter.visit_id]))
    assert "keeps its sections" in response.text
    assert 'name="template"' not in response.text


def test_a_stale_switch_is_refused_and_shows_the_other_version(client, inspector):
    """A switch based on an older revision writes nothing and shows the conflict."""
    letter = new_letter(inspector, datetime.date(2025, 11, 19))
    drafting.letter_update(
        letter=letter, by=inspector, based_on=letter.revision, values={"closing": "Changed."}
    )
    response = client.post(
        reverse("letters:letter-template", args=[letter.visit_id]),
        {"template": letter_shapes.PILOT, "revision": 1},
    )
    assert response.status_code == 200
    assert "Someone else saved a change" in response.text
    assert Letter.objects.get(pk=letter.pk).template == letter_shapes.FROM_2025


def test_another_inspectors_letter_cannot_switch_template(client, inspector):
    """A visit the inspector is not on: 404 to the page, and the service refuses."""
    other = inspector_user("other", "Other Person")
    letter = new_letter(other, datetime.date(2025, 11, 19))
    url = reverse("letters:letter-template", args=[letter.visit_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"template": "2018", "revision": 1}).status_code == 404
    with pytest.raises(PermissionDenied):
        drafting.letter_use_template(
            letter=letter, by=inspector, based_on=letter.revision, template="2018"
        )
    assert Letter.objects.get(pk=letter.pk).template == letter_shapes.FROM_2025


def test_a_letter_in_review_cannot_switch_template(client, inspector):
    """In review the page is refused (403) and a posted switch is not saved (409)."""
    letter = new_letter(inspector, datetime.date(2025, 11, 19))
    force_status(letter, Letter.Status.IN_REVIEW)
    url = reverse("letters:letter-template", args=[letter.visit_id])
    assert client.get(url).status_code == 403
    response = client.post(url, {"template": "2018", "revision": letter.revision})
    assert response.status_code == 409
    assert Letter.objects.get(pk=letter.pk).template == letter_shapes.FROM_2025


def test_the_item_form_of_a_2025_letter_offers_the_framework_tags(client, inspector):
    """Adding an improvement point to a 2025 letter offers the outcomes, enablers and
    principles; the chosen tag prints as "(enabler 2, national framework)"."""
    letter = new_letter(inspector, datetime.date(2025, 11, 19))
    section = letter.sections.get(kind=Section.Kind.IMPROVEMENT)
    url = reverse("letters:item-add", args=[letter.visit_id, section.pk])
    page = client.get(url).text
    assert 'name="framework_tag"' in page
    assert "Enabler 2: leaders drive conditions for effective practice" in page
    assert "Principle 6" in page
    client.post(
        url, {"text": "Management oversight.", "style": "bullet", "framework_tag": "enabler 2"}
    )
    item = Item.objects.get(section=section)
    assert item.cross_reference == "(enabler 2, national framework)"


def test_the_item_form_of_an_older_letter_offers_no_tags(client, inspector):
    """A 2022 letter's improvement points have no National Framework tags to choose."""
    letter = new_letter(inspector, datetime.date(2022, 9, 21))
    section = letter.sections.get(kind=Section.Kind.IMPROVEMENT)
    page = client.get(reverse("letters:item-add", args=[letter.visit_id, section.pk])).text
    assert 'name="framework_tag"' not in page


def test_changing_an_item_keeps_its_tag_chosen(client, inspector):
    """The change form of a tagged item has its tag selected."""
    letter = new_letter(inspector, datetime.date(2025, 11, 19))
    section = letter.sections.get(kind=Section.Kind.IMPROVEMENT)
    item = ItemFactory(section=section, cross_reference="(outcome 4, national framework)")
    page = client.get(reverse("letters:item-edit", args=[letter.visit_id, item.pk])).text
    assert '<option value="outcome 4" selected>' in page


def test_the_closing_page_offers_the_templates_wording(client, inspector):
    """The closing page of a 2022 letter offers its own closing and action-plan paragraph."""
    letter = new_letter(inspector, datetime.date(2022, 9, 21))
    page = client.get(reverse("letters:letter-closing", args=[letter.visit_id])).text
    assert "planning the next inspection or visit" in page
    assert "within 70 working days of receiving this letter" in page


def test_the_admins_letter_takes_its_periods_words(inspector):
    """A letter entered in the admin for a 2019 visit takes the 2018 template's words."""
    letter = new_letter(inspector, datetime.date(2019, 1, 1))
    visit = letter.visit
    letter.delete()
    created = drafting.letter_create(visit=visit, by=inspector, values={}, sections=False)
    assert created.template == letter_shapes.FROM_2018
    assert "planning your next inspection or visit" in created.closing
    assert not created.sections.exists()


def test_the_editor_flags_improvement_points_without_a_framework_tag(client, inspector):
    """In a 2025 letter an improvement point with no cross-reference is marked in the
    editor, to be filled in; one with a tag shows its tag."""
    letter = new_letter(inspector, datetime.date(2025, 11, 19))
    section = letter.sections.get(kind=Section.Kind.IMPROVEMENT)
    ItemFactory(section=section, position=1, text="Supervision.")
    ItemFactory(
        section=section,
        position=2,
        text="Planning.",
        cross_reference="(enabler 3, national framework)",
    )
    page = client.get(reverse("letters:letter-editor", args=[letter.visit_id])).text
    assert page.count("National Framework cross-reference to add") == 1
    assert "Planning. (enabler 3, national framework)" in page
