"""The letter's forms that keep what is typed in them until it is saved (the autosave
app), and who may keep text in each: told to autosave at start-up (letters.apps)."""

from autosave import registry
from letters import permissions
from letters.models import Letter
from letters.selectors import visits_with_visible_drafts

DRAFTING_FORMS = (
    "letters:letter-opening",
    "letters:letter-closing",
    "letters:section-add",
    "letters:section-edit",
    "letters:section-paste-new",
    "letters:section-paste",
    "letters:item-add",
    "letters:item-edit",
    "letters:visit-edit",
    "letters:visit-recipient",
)


def visible_letter(user, pk):
    # Not visit_for_letter_pages: that audits a refusal, and a script asks every 10 seconds.
    return Letter.objects.filter(
        visit__in=visits_with_visible_drafts(user=user), visit_id=pk
    ).first()


def may_draft(user, pk, **kwargs):
    letter = visible_letter(user, pk)
    return letter is not None and permissions.can_draft(user, letter)


def may_review(user, pk, **kwargs):
    letter = visible_letter(user, pk)
    return letter is not None and permissions.can_review(user, letter)


def register_forms():
    for name in DRAFTING_FORMS:
        registry.register(name, may=may_draft)
    registry.register("letters:review-comment", may=may_review, page="letters:review-letter")
