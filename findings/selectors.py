"""What each user may see, as querysets (the rules are those of findings.permissions)."""

from django.db.models import Prefetch, Q

from findings.permissions import inspector_of, is_administrator, is_qa_manager
from inspections.models import TeamMember, Visit


def visits_of_inspector(*, user):
    """The visits the user leads or is on the team of, newest first, ready for a list."""
    inspector = inspector_of(user)
    if inspector is None:
        return Visit.objects.none()
    return (
        Visit.objects.filter(team__inspector=inspector)
        .select_related("authority", "letter")
        .prefetch_related(
            Prefetch(
                "team",
                queryset=TeamMember.objects.filter(role=TeamMember.Role.LEAD).select_related(
                    "inspector"
                ),
                to_attr="leads",
            )
        )
        .order_by("-start_date", "-pk")
        .distinct()
    )


def visits_with_visible_drafts(*, user):
    """Visits whose draft letter the user may read (the rule of can_view_draft)."""
    if is_qa_manager(user) or is_administrator(user):
        return Visit.objects.all()
    inspector = inspector_of(user)
    if inspector is None:
        return Visit.objects.none()
    return Visit.objects.filter(Q(team__inspector=inspector)).distinct()


def visit_for_letter_pages(*, user, pk):
    """The visit with everything the drafting pages read, if the user may read its draft.

    Answers 404 both for a visit that does not exist and for one the user may not see.
    """
    from django.http import Http404

    from findings.compose import letter_queryset

    letter = (
        letter_queryset()
        .filter(visit__in=visits_with_visible_drafts(user=user), visit_id=pk)
        .first()
    )
    if letter is None:
        raise Http404("No such visit")
    visit = letter.visit
    visit.letter = letter
    return visit
