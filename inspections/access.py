"""Who someone is to a visit: their Inspector record, their authority, their place on a
team and in the visit's history. Pure functions over prefetched data; the letters app's
rules (letters.permissions) are built on them."""

from accounts import roles


def inspector_of(user):
    """The Inspector record linked to the user's account, or None.

    Only for a user who holds the inspector or QA manager role: an Inspector record
    linked to any other account (a local authority's, say) gives it no inspector's
    rights.
    """
    if not (roles.has_role(user, roles.INSPECTOR) or roles.has_role(user, roles.QA_MANAGER)):
        return None
    if not hasattr(user, "_inspector"):
        # A missing reverse one-to-one raises a subclass of AttributeError.
        user._inspector = getattr(user, "inspector", None)
    return user._inspector


def name_of(user):
    """A user by name: their Inspector record's full name, else their own name, else their
    username. Reads user.inspector: select_related("...__inspector") where a page shows many.
    (Any linked record names the person, whatever their role: this is who, not what rights.)
    """
    inspector = getattr(user, "inspector", None)  # a missing one raises an AttributeError
    if inspector is not None:
        return inspector.full_name
    return user.get_full_name() or user.get_username()


def is_inspector(user):
    return roles.has_role(user, roles.INSPECTOR) and inspector_of(user) is not None


def authority_of(user):
    """The local authority a local authority user belongs to, or None."""
    if not roles.has_role(user, roles.AUTHORITY_USER):
        return None
    if not hasattr(user, "_authority"):
        membership = getattr(user, "authority_membership", None)
        user._authority = membership.authority if membership else None
    return user._authority


def is_on_team(user, visit):
    """On the visit's team now (visit.team prefetched)."""
    inspector = inspector_of(user)
    return inspector is not None and any(
        member.inspector_id == inspector.pk for member in visit.team.all()
    )


def was_involved(user, visit):
    """Ever on the team, or ever wrote, changed or submitted any part of the visit's letter
    (visit.team and visit.involvements prefetched)."""
    if not user.is_authenticated:
        return False
    if visit.created_by_id == user.pk or is_on_team(user, visit):
        return True
    inspector = inspector_of(user) or getattr(user, "inspector", None)
    inspector_id = inspector.pk if inspector is not None else None
    return any(
        record.user_id == user.pk or (inspector_id and record.inspector_id == inspector_id)
        for record in visit.involvements.all()
    )
