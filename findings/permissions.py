"""Who may do what with a letter: small pure functions, the one place access rules live.

Views ask these before acting, services ask them again, and findings.selectors applies
the same rules to querysets, so a list never shows what its page would refuse.
"""

from findings.models import Letter
from inspections import roles

EDITABLE_STATUSES = (Letter.Status.DRAFT, Letter.Status.RETURNED)


def has_role(user, role):
    if not user.is_authenticated:
        return False
    cache = getattr(user, "_role_names", None)
    if cache is None:
        cache = user._role_names = set(user.groups.values_list("name", flat=True))
    return role in cache


def is_administrator(user):
    return user.is_authenticated and (user.is_superuser or has_role(user, roles.ADMINISTRATOR))


def is_inspector(user):
    return has_role(user, roles.INSPECTOR) and inspector_of(user) is not None


def is_qa_manager(user):
    return has_role(user, roles.QA_MANAGER)


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


def can_create_visit(user):
    return is_inspector(user)


def can_view_draft(user, letter):
    """Team members, QA managers and administrators read drafts; nobody else."""
    return is_on_team(user, letter.visit) or is_qa_manager(user) or is_administrator(user)


def can_edit_letter(user, letter):
    """The visit's team edits its letter while it is a draft or has been returned."""
    return letter.status in EDITABLE_STATUSES and is_on_team(user, letter.visit)
