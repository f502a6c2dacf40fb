"""What each user may see, as querysets (the rules are those of letters.permissions)."""

from django.db.models import F, Prefetch, Q
from django.http import Http404

from audit.services import record_refusal
from inspections.models import Involvement, TeamMember, Visit
from letters.models import Letter, PublishedVersion
from letters.permissions import authority_of, inspector_of, is_administrator, is_qa_manager
from letters.rendering.compose import letter_queryset


def visits_of_inspector(*, user):
    """The visits the user leads or is on the team of, newest first, ready for a list."""
    inspector = inspector_of(user)
    if inspector is None:
        return Visit.objects.none()
    # A subquery rather than a join: no DISTINCT, so the database can read the newest
    # twenty in index order instead of sorting every visit the inspector was on.
    return (
        Visit.objects.filter(
            pk__in=TeamMember.objects.filter(inspector=inspector).values("visit_id")
        )
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
    )


def visits_with_visible_drafts(*, user):
    """Visits whose draft letter the user may read (the rule of can_view_draft)."""
    if is_qa_manager(user) or is_administrator(user):
        return Visit.objects.all()
    inspector = inspector_of(user)
    if inspector is None:
        return Visit.objects.none()
    return Visit.objects.filter(
        pk__in=TeamMember.objects.filter(inspector=inspector).values("visit_id")
    )


def visit_for_letter_pages(*, user, pk):
    """The visit with everything the drafting pages read, if the user may read its draft.

    Answers 404 both for a visit that does not exist and for one the user may not see.
    """
    letter = (
        letter_queryset()
        .filter(visit__in=visits_with_visible_drafts(user=user), visit_id=pk)
        .first()
    )
    if letter is None:
        hidden = Letter.objects.filter(visit_id=pk).first()
        if hidden is not None:
            # It exists, and the user may not see it: the answer is the same 404,
            # and the attempt is audited.
            record_refusal(by=user, key=f"visit:{pk}", target=hidden, visit=pk)
        raise Http404("No such visit")
    visit = letter.visit
    visit.letter = letter
    return visit


def review_queue(*, user):
    """Letters awaiting quality assurance that the user may review, oldest first."""
    if not is_qa_manager(user):
        return Letter.objects.none()
    letters = Letter.objects.filter(status=Letter.Status.IN_REVIEW)
    return (
        _independent_of(user, letters)
        .select_related("visit__authority", "visit__qa_manager")
        .order_by("submitted_at", "pk")
    )


def awaiting_publication(*, user):
    """Approved letters the user may publish, oldest approval first."""
    if not is_qa_manager(user):
        return Letter.objects.none()
    letters = Letter.objects.filter(status=Letter.Status.APPROVED)
    return (
        _independent_of(user, letters)
        .select_related("visit__authority")
        .order_by("submitted_at", "pk")
    )


def _independent_of(user, letters):
    """Drop letters whose visit the user was ever involved in (the four-eyes rule, as
    letters.permissions.is_independent_reviewer reads it)."""
    involved = Q(user=user)
    inspector = inspector_of(user)
    if inspector is not None:
        letters = letters.exclude(visit__team__inspector=inspector)
        involved |= Q(inspector=inspector)
    return letters.exclude(visit__created_by=user).exclude(
        visit__in=Involvement.objects.filter(involved).values("visit_id")
    )


def published_versions(*, user):
    """The published versions the user may read: an authority's users, those published to
    their authority; everyone else, those of the letters whose drafts they may read."""
    # The letter's status rides along for the audit event; its long texts stay behind.
    versions = PublishedVersion.objects.select_related("authority").annotate(
        letter_status=F("letter__status")
    )
    authority = authority_of(user)
    if authority is not None:
        return versions.filter(authority=authority)
    return versions.filter(letter__visit__in=visits_with_visible_drafts(user=user))
