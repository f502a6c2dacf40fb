"""Wording that Ofsted repeats in every letter, in one place.

Each letter may override any of it: the letter's own field wins when it is not blank
(see letters.rendering.compose). Fields that a letter may leave out altogether (the evidence
paragraph, the closing) take this wording as their initial value instead.
"""

import datetime

# Letters dated from the accession of King Charles III are signed "His Majesty's".
ACCESSION_OF_CHARLES_III = datetime.date(2022, 9, 8)

SIGN_OFF = "Yours sincerely"

SCOPE_LEAD_IN = (
    "On this focused visit, inspectors examined the local authority's arrangements for "
    "children's services, specifically:"
)

EVIDENCE_PARAGRAPH = (
    "A range of evidence, including case discussions with social workers and managers, "
    "informed inspectors' findings. Inspectors also looked at local authority performance "
    "management and quality assurance information and children's case records."
)

CLOSING_PARAGRAPH = (
    "Ofsted will take the findings from this focused visit into account when planning "
    "your next inspection or visit."
)

# Offered to inspectors for letters with priority actions.
PRIORITY_ACTION_PARAGRAPH = (
    "Ofsted has identified areas for priority action. We have notified the Department for "
    "Education of these. The local authority should submit a written action plan to Ofsted "
    "within 70 working days of receiving this letter, and an early draft within 20 working "
    "days. The plan should set out the local authority's actions in response to the areas "
    "for priority action and the other areas for improvement."
)

NO_PRIORITY_ACTIONS = "There are no areas for priority action arising from this visit."


def monarch_possessive(on_date):
    """'Her' before the accession of Charles III, 'His' from it."""
    if on_date is None:
        on_date = datetime.date.today()
    return "His" if on_date >= ACCESSION_OF_CHARLES_III else "Her"


def signatory_title(on_date):
    return f"{monarch_possessive(on_date)} Majesty's Inspector"


def letter_title(*, authority_name, pilot):
    if pilot:
        return f"Focused visit of {authority_name} children's services (pilot)"
    return f"Focused visit to {authority_name} children's services"


def introduction(*, authority_name, visit_dates, inspectors, qa_manager, on_date, period=""):
    """The opening paragraph, from the visit's facts, worded as the letter's period has it.

    `visit_dates` is a phrase with its preposition ("on 1 August 2017"), `inspectors`
    a list of printed names (with "HMI designate" where it applies), `qa_manager` a
    printed name or None. `period` is the key of the letter's template
    (letters.drafting.letter_shapes): the 2017 pilot's wording (also for letters with no
    template) names the QA manager; from 2018 the letters name the inspectors only,
    "The inspectors were A HMI and B HMI"; from mid-2021 "His Majesty's Inspectors for
    this visit were A and B", after "the focused visit".
    """
    possessive = monarch_possessive(on_date)
    plural = len(inspectors) > 1
    if period in ("2021", "2025"):
        sentences = [
            f"This letter summarises the findings of the focused visit to {authority_name} "
            f"children's services {visit_dates}."
        ]
        if inspectors:
            inspector_s, were = ("Inspectors", "were") if plural else ("Inspector", "was")
            sentences.append(
                f"{possessive} Majesty's {inspector_s} for this visit {were} "
                f"{join_names(inspectors)}."
            )
        return " ".join(sentences)
    sentences = [
        f"This letter summarises the findings of a focused visit to {authority_name} "
        f"children's services {visit_dates}."
    ]
    if period == "2018":
        if inspectors:
            named = [name if "HMI" in name else f"{name} HMI" for name in inspectors]
            were = "The inspectors were" if plural else "The inspector was"
            sentences.append(f"{were} {join_names(named)}.")
        return " ".join(sentences)
    if inspectors:
        inspector_s = "Inspectors" if plural else "Inspector"
        sentences.append(
            f"{possessive} Majesty's {inspector_s} (HMI) {join_names(inspectors)} "
            "undertook the visit."
        )
    if qa_manager:
        sentences.append(f"The quality assurance manager was {qa_manager}.")
    return " ".join(sentences)


def join_names(names):
    """'A', 'A and B', 'A, B and C'."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
