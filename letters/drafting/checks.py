"""The checks a letter must pass before it can go to quality assurance.

Each problem names what to fix and where: the pages show them as a GOV.UK error
summary whose links lead to the field concerned.
"""

from dataclasses import dataclass

from django.urls import reverse

from inspections.models import TeamMember
from letters.models import Section
from letters.rendering import wording
from letters.rendering.compose import paragraphs


@dataclass(frozen=True)
class Problem:
    message: str
    url: str


def letter_problems(letter):
    """What stops the letter going to quality assurance; empty when it is ready."""
    visit = letter.visit
    problems = []

    def problem(message, url_name, anchor):
        url = reverse(f"letters:{url_name}", args=[visit.pk])
        problems.append(Problem(message, f"{url}#{anchor}"))

    if visit.letter_date is None:
        problem("Enter the letter date", "visit-edit", "id_letter_date_0")
    if not visit.recipient_name:
        problem("Enter the recipient's name", "visit-recipient", "id_recipient_name")
    if not (visit.recipient_address.strip() or visit.recipient_postcode):
        problem("Enter the recipient's address", "visit-recipient", "id_recipient_address")
    if not any(m.role == TeamMember.Role.LEAD for m in visit.team.all()):
        problem("Choose the lead inspector", "visit-team", "id_inspector")
    if visit.qa_manager_id is None:
        problem("Choose the quality assurance manager", "visit-edit", "id_qa_manager")
    if not visit.visit_focus_areas.all():
        problem("Choose at least one focus area", "visit-focus-areas", "id_focus_areas_1")

    sections = list(letter.sections.all())
    overview = [s for s in sections if s.kind == Section.Kind.OVERVIEW]
    if not any(s.items.all() for s in overview):
        problem(
            "Write the overview or headline findings",
            "letter-editor",
            f"section-{overview[0].pk}" if overview else "add-section",
        )
    improvement = [s for s in sections if s.kind == Section.Kind.IMPROVEMENT]
    if not any(s.items.all() or s.none_statement.strip() for s in improvement):
        problem(
            "Write at least one area for improvement, or state that there are none",
            "letter-editor",
            f"section-{improvement[0].pk}" if improvement else "add-section",
        )

    on_date = visit.letter_date or visit.last_day
    expected = wording.monarch_possessive(on_date)
    wrong = "Her" if expected == "His" else "His"
    stale_title = f"{wrong} Majesty"
    if any(stale_title in text for text in paragraphs(letter.introduction)):
        problem(
            f"The introduction says {stale_title}'s; a letter dated "
            f"{on_date:%-d %B %Y} says {expected} Majesty's",
            "letter-opening",
            "id_introduction",
        )
    if stale_title in letter.signatory_title:
        problem(
            f"The signatory's title says {stale_title}'s; a letter dated "
            f"{on_date:%-d %B %Y} says {expected} Majesty's",
            "letter-closing",
            "id_signatory_title",
        )
    return problems
