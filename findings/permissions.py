"""Who may do what with a letter: small pure functions, the one place access rules live.

Views ask these before acting, services ask them again, and findings.selectors applies
the same rules to querysets, so a list never shows what its page would refuse.
"""

from findings.models import Letter
from inspections import roles

EDITABLE_STATUSES = (Letter.Status.DRAFT, Letter.Status.RETURNED)


def has_role(user, role):
    if not user.is_authenticated or not user.is_active:
        return False
    cache = getattr(user, "_role_names", None)
    if cache is None:
        # user.groups is prefetched by inspections.auth.PortalBackend.
        cache = user._role_names = {group.name for group in user.groups.all()}
    return role in cache


def is_administrator(user):
    return user.is_authenticated and (user.is_superuser or has_role(user, roles.ADMINISTRATOR))


def is_inspector(user):
    return has_role(user, roles.INSPECTOR) and inspector_of(user) is not None


def is_qa_manager(user):
    return has_role(user, roles.QA_MANAGER)


def authority_of(user):
    """The local authority a local authority user belongs to, or None."""
    if not has_role(user, roles.AUTHORITY_USER):
        return None
    if not hasattr(user, "_authority"):
        membership = getattr(user, "authority_membership", None)
        user._authority = membership.authority if membership else None
    return user._authority


def inspector_of(user):
    """The Inspector record linked to the user's account, or None."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_inspector"):
        # A missing reverse one-to-one raises a subclass of AttributeError.
        user._inspector = getattr(user, "inspector", None)
    return user._inspector


def is_on_team(user, visit):
    inspector = inspector_of(user)
    return inspector is not None and any(
        member.inspector_id == inspector.pk for member in visit.team.all()
    )


def is_author(user, letter):
    """Whoever created the visit or submitted its letter wrote it."""
    if not user.is_authenticated:
        return False
    if letter.visit.created_by_id == user.pk:
        return True
    return any(s.submitted_by_id == user.pk for s in letter.submissions.all())


def is_independent_reviewer(user, letter):
    """Four eyes: a QA manager who neither wrote the letter nor is on the visit's team."""
    return (
        is_qa_manager(user) and not is_on_team(user, letter.visit) and not is_author(user, letter)
    )


def can_create_visit(user):
    return is_inspector(user)


def can_view_draft(user, letter):
    """Team members, QA managers and administrators read drafts; nobody else."""
    return is_on_team(user, letter.visit) or is_qa_manager(user) or is_administrator(user)


def can_edit_letter(user, letter):
    """The visit's team edits its letter while it is a draft or has been returned."""
    return letter.status in EDITABLE_STATUSES and is_on_team(user, letter.visit)


def can_submit(user, letter):
    return can_edit_letter(user, letter)


def can_review(user, letter):
    """Comment on, return or approve a letter in QA review."""
    return letter.status == Letter.Status.IN_REVIEW and is_independent_reviewer(user, letter)


def can_publish(user, letter):
    return letter.status == Letter.Status.APPROVED and is_independent_reviewer(user, letter)


def can_start_correction(user, letter):
    return letter.status == Letter.Status.PUBLISHED and (
        is_on_team(user, letter.visit) or is_qa_manager(user)
    )


def can_resolve_comments(user, letter):
    return is_on_team(user, letter.visit)


def can_read_timeline(user, letter):
    return is_qa_manager(user) or is_administrator(user)
