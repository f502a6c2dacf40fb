"""The checks a letter must pass before it can go to quality assurance.

Each problem says what to do and links to the form that does it, to its field: the
pages show them as a GOV.UK error summary. Every problem blocks submission
(letters.review.services.letter_submit): each is something the letter would print
wrongly, or without.
"""

import re
from dataclasses import dataclass

from django.urls import reverse

from inspections.models import TeamMember
from letters.bullets import GLYPH
from letters.models import Section
from letters.rendering import wording
from letters.rendering.compose import paragraphs


@dataclass(frozen=True)
class Problem:
    message: str
    url: str


# A bullet glyph anywhere in a text (letters.bullets: symbol bullets and the whole
# private-use area, where Word's symbol-font bullets land), or a bullet typed as a
# letter `o`, a hyphen or an asterisk and a space at the start of a line. The letter
# prints its own bullets: these are left over from text pasted in.
GLYPH_RE = re.compile(GLYPH)
TYPED_BULLET_RE = re.compile(r"^[ \t]*([o*-])[ \t]", re.MULTILINE)


def stray_bullet(text):
    """The first stray bullet mark in the text, named for the user; None if it has none."""
    found = GLYPH_RE.search(text)
    if found:
        glyph = found.group()
        if "\ue000" <= glyph <= "\uf8ff":
            # Invisible, or a box, outside its symbol font: named by its code.
            return f"U+{ord(glyph):04X} (a symbol-font bullet)"
        return f"‘{glyph}’"
    typed = TYPED_BULLET_RE.search(text)
    if typed:
        return f"‘{typed.group(1)}’ that starts a line"
    return None


# The letter's own paragraphs that may hold a stray bullet: (field, what the user calls
# it, the form that changes it).
LETTER_TEXTS = [
    ("title", "the title", "letter-opening"),
    ("introduction", "the introduction", "letter-opening"),
    ("scope_lead_in", "the focus areas lead-in", "letter-opening"),
    ("preamble", "the paragraphs before the findings", "letter-opening"),
]
CLOSING_TEXTS = [("closing", "the closing paragraphs", "letter-closing")]
SECTION_TEXTS = [
    ("heading", "the heading of"),
    ("heading_footnote", "the footnote to the heading of"),
    ("lead_in", "the lead-in of"),
    ("none_statement", "the statement that there are none in"),
]
ITEM_TEXTS = [
    ("text", ""),
    ("cross_reference", "the cross-reference of "),
    ("footnote", "the footnote of "),
]


def letter_problems(letter):
    """What stops the letter going to quality assurance; empty when it is ready."""
    visit = letter.visit
    problems = []

    def problem(message, url_name, anchor, *args):
        url = reverse(f"letters:{url_name}", args=[visit.pk, *args])
        problems.append(Problem(message, f"{url}#{anchor}"))

    def bullet_problem(text, where, url_name, anchor, *args):
        mark = stray_bullet(text)
        if mark:
            problem(
                f"Delete the bullet mark {mark} in {where}: the letter prints its own bullets",
                url_name,
                anchor,
                *args,
            )

    if visit.letter_date is None:
        problem("Enter the letter date", "visit-edit", "id_letter_date_0")
    if visit.office_id is None:
        problem("Choose the letterhead office", "visit-edit", "id_office")
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
    # Kinds whose emptiness is already a problem of its own, said once for the kind.
    reported = set()
    overview = [s for s in sections if s.kind == Section.Kind.OVERVIEW]
    if not any(s.items.all() for s in overview):
        reported.add(Section.Kind.OVERVIEW)
        if overview:
            problem(
                "Write the overview or headline findings",
                "item-add",
                "id_text",
                overview[0].pk,
            )
        else:
            problem("Write the overview or headline findings", "letter-editor", "add-section")
    improvement = [s for s in sections if s.kind == Section.Kind.IMPROVEMENT]
    if not any(s.items.all() or s.none_statement.strip() for s in improvement):
        reported.add(Section.Kind.IMPROVEMENT)
        message = "Write at least one area for improvement, or state that there are none"
        if improvement:
            problem(message, "item-add", "id_text", improvement[0].pk)
        else:
            problem(message, "letter-editor", "add-section")

    # The letter in the order it prints: each problem beside the others of its place.
    for field, where, url_name in LETTER_TEXTS:
        bullet_problem(getattr(letter, field), where, url_name, f"id_{field}")
    for section in sections:
        items = list(section.items.all())
        heading = f"‘{section.heading}’"
        if not items and not section.none_statement.strip() and section.kind not in reported:
            if section.kind == Section.Kind.PRIORITY_ACTIONS:
                # Its heading would print over nothing: a letter says there are none.
                problem(
                    f"Write the areas for priority action in {heading}, "
                    "or state that there are none",
                    "section-edit",
                    "id_none_statement",
                    section.pk,
                )
            else:
                problem(
                    f"Add an item to {heading}, or delete the section: its heading "
                    "would print with nothing under it",
                    "item-add",
                    "id_text",
                    section.pk,
                )
        for field, where in SECTION_TEXTS:
            bullet_problem(
                getattr(section, field),
                f"{where} {heading}",
                "section-edit",
                f"id_{field}",
                section.pk,
            )
        for number, item in enumerate(items, start=1):
            for field, where in ITEM_TEXTS:
                bullet_problem(
                    getattr(item, field),
                    f"{where}item {number} of {heading}",
                    "item-edit",
                    f"id_{field}",
                    item.pk,
                )
    for field, where, url_name in CLOSING_TEXTS:
        bullet_problem(getattr(letter, field), where, url_name, f"id_{field}")

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
