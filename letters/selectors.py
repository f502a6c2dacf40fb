"""What each user may see, as querysets (the rules are those of letters.permissions)."""

import functools

from django.db.models import F, OuterRef, Prefetch, Q, Subquery
from django.http import Http404

from audit.services import record_refusal
from inspections.models import Involvement, LocalAuthority, TeamMember, Visit
from letters.models import FollowUp, Item, Letter, PublishedVersion, Section
from letters.permissions import authority_of, inspector_of, is_administrator, is_qa_manager
from letters.rendering.compose import letter_queryset


def visits_of_inspector(*, user):
    """The visits the user leads or is on the team of, newest first, ready for a list:
    each a dict of its pk, dates, authority_name, letter_status (None without a letter)
    and lead_name (None without a lead)."""
    inspector = inspector_of(user)
    if inspector is None:
        return Visit.objects.none()
    # A subquery rather than a join: no DISTINCT, so the database can read the newest
    # twenty in index order instead of sorting every visit the inspector was on.
    return _visit_list_rows().filter(
        pk__in=TeamMember.objects.filter(inspector=inspector).values("visit_id")
    )


@functools.cache
def _visit_list_rows():
    """Visits with what the list shows and no more, in one query and as dicts (no model
    to build a row): the dates, the authority's name, the letter's status and the lead
    inspector's name (a visit has at most one lead: the constraint
    one_lead_inspector_per_visit), not the recipient block or the letter's words. As
    subqueries, not joins, so that the paginator's count, which drops them, counts the
    visits alone. Built once a process, since building it costs more than running it;
    each list filters a copy."""
    lead = TeamMember.objects.filter(visit=OuterRef("pk"), role=TeamMember.Role.LEAD).order_by()
    # Without the models' default orders (a letter's joins its visit).
    authority = LocalAuthority.objects.filter(pk=OuterRef("authority_id")).order_by()
    letter = Letter.objects.filter(visit=OuterRef("pk")).order_by()
    return (
        Visit.objects.annotate(
            authority_name=Subquery(authority.values("name")),
            letter_status=Subquery(letter.values("status")),
            lead_name=Subquery(lead.values("inspector__full_name")[:1]),
        )
        .order_by("-start_date", "-pk")
        .values(
            "pk",
            "start_date",
            "end_date",
            "letter_date",
            "authority_name",
            "letter_status",
            "lead_name",
        )
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


def letter_for_editor_queryset():
    """Letters with what the editor reads and no more: the visit and its authority, the
    team (the access rules), the sections and their items. Not the involvements, focus
    areas, office or QA manager that printing the letter needs (letter_queryset); and
    the team in its own order, not joined to its visit for the visits' order."""
    return Letter.objects.select_related("visit__authority").prefetch_related(
        Prefetch("visit__team", queryset=TeamMember.objects.order_by("position", "id")),
        Prefetch(
            "sections",
            queryset=Section.objects.order_by("position").prefetch_related(
                Prefetch("items", queryset=Item.objects.order_by("position"))
            ),
        ),
    )


def visit_for_letter_pages(*, user, pk, letters=None):
    """The visit with everything the drafting pages read, if the user may read its draft.

    Answers 404 both for a visit that does not exist and for one the user may not see.
    letters: the queryset to load the letter from (letter_queryset(), what printing the
    letter reads, unless the page needs less).
    """
    letters = letter_queryset() if letters is None else letters
    # One letter a visit: no order to keep (the letters' own is by their visit's date).
    letters = letters.filter(visit__in=visits_with_visible_drafts(user=user), visit_id=pk)
    letter = letters.order_by("pk").first()
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


def published_versions():
    """Every published version: each is everyone's (letters.permissions.can_read_published)."""
    # The letter's status rides along for the audit event; its long texts stay behind.
    return PublishedVersion.objects.select_related("authority").annotate(
        letter_status=F("letter__status")
    )


def published_versions_listed_for(*, user):
    """The published versions the user's own list shows (any may be read by anyone): an
    authority's users, those published to their authority; everyone else, those of the
    letters whose drafts they may read."""
    versions = published_versions()
    authority = authority_of(user)
    if authority is not None:
        return versions.filter(authority=authority)
    return versions.filter(letter__visit__in=visits_with_visible_drafts(user=user))


def letters_shared_with_authority(*, user):
    """The letters the user's own local authority reads before publication (the rule of
    letters.permissions.can_read_as_authority): in the factual-accuracy check, responded
    to, and final under embargo; nothing for anyone else."""
    authority = authority_of(user)
    if authority is None:
        return Letter.objects.none()
    return (
        Letter.objects.filter(visit__authority=authority, status__in=Letter.SHARED_WITH_AUTHORITY)
        .select_related("visit__authority")
        .order_by("fa_deadline", "pk")
    )


def letter_for_authority(*, user, pk):
    """The letter of visit `pk`, with what printing it reads, if the user's authority may
    read it now; otherwise 404, the same as for no such visit (a refusal is audited)."""
    letter = (
        letter_queryset()
        .filter(pk__in=letters_shared_with_authority(user=user).values("pk"), visit_id=pk)
        .first()
    )
    if letter is None:
        hidden = Letter.objects.filter(visit_id=pk).first()
        if hidden is not None:
            record_refusal(by=user, key=f"authority-letter:{pk}", target=hidden, visit=pk)
        raise Http404("No such letter")
    return letter


def follow_ups_visible_to(*, user):
    """The priority-action follow-ups the user may read (the rule of
    letters.permissions.can_read_follow_up): an authority's users, those of its own
    letters; everyone else, those of the letters whose drafts they may read."""
    follow_ups = FollowUp.objects.select_related("letter__visit__authority")
    authority = authority_of(user)
    if authority is not None:
        return follow_ups.filter(letter__visit__authority=authority)
    return follow_ups.filter(letter__visit__in=visits_with_visible_drafts(user=user))


def follow_ups_of_authority(*, user):
    """The follow-ups of the user's own local authority, soonest due first; none for
    anyone else."""
    authority = authority_of(user)
    if authority is None:
        return FollowUp.objects.none()
    return follow_ups_visible_to(user=user).order_by("action_plan_due", "pk")


def follow_up_for(*, user, pk):
    """The follow-up of visit `pk`'s letter, with what its rules read (the team), if the
    user may read it; otherwise 404, as for none at all (a refusal is audited)."""
    follow_up = (
        follow_ups_visible_to(user=user)
        .prefetch_related("letter__visit__team")
        .filter(letter__visit_id=pk)
        .first()
    )
    if follow_up is None:
        hidden = FollowUp.objects.filter(letter__visit_id=pk).values_list("letter_id", flat=True)
        hidden = hidden.first()
        if hidden is not None:
            record_refusal(by=user, key=f"follow-up:{pk}", target=(Letter, hidden), visit=pk)
        raise Http404("No such follow-up")
    return follow_up


def letters_in_flight(*, user):
    """The letters not yet published that the user may see now, with their visits and
    authorities: an authority user's, its own from the factual-accuracy check on (as
    letters_shared_with_authority); everyone else's, those whose drafts they may read (a
    QA manager's or an administrator's, all of them; an inspector's, their teams')."""
    if authority_of(user) is not None:
        return letters_shared_with_authority(user=user)
    return (
        Letter.objects.filter(visit__in=visits_with_visible_drafts(user=user))
        .exclude(status=Letter.Status.PUBLISHED)
        .select_related("visit__authority")
    )
