"""Every change to a visit: keyword-only functions that take the acting user (`by`).

Each runs in one transaction, holds the visit's row lock, checks again that `by` may
make the change, bumps the visit's revision (optimistic locking: a change based on an
older revision raises StaleEdit), records who was involved (the four-eyes rule reads
it) and writes one audit event with the values before and after.

Whether a visit may change at all depends on its letter's state, which belongs to the
letters app; imports point one way, so that app tells this one at start-up
(`set_change_rule`, called from letters.apps).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from accounts import roles
from audit.services import changes, record
from inspections import authorities
from inspections.access import inspector_of, is_inspector, is_on_team
from inspections.models import (
    AuthorityUser,
    FocusArea,
    Inspector,
    Involvement,
    LocalAuthority,
    TeamMember,
    Visit,
    VisitFocusArea,
)


class StaleEdit(Exception):
    """Someone else saved the object since the editor loaded it."""

    def __init__(self, current):
        super().__init__("The object was changed by someone else")
        self.current = current  # the object as saved now; None if it was deleted


def _team_rule(visit, user):
    return is_on_team(user, visit)


_change_rule = _team_rule


def set_change_rule(rule):
    """rule(visit, user) -> bool: may `user` change `visit` now (its team, its facts)."""
    global _change_rule
    _change_rule = rule


def may_change(visit, user):
    return _change_rule(visit, user)


def lock_visit(visit_id):
    """The visit re-read under its row lock: every write to a visit or its letter takes it
    first, so writes to one visit queue in one order."""
    return (
        Visit.objects.select_for_update(of=("self",))
        .select_related("authority")
        .prefetch_related("team__inspector", "involvements")
        .get(pk=visit_id)
    )


def _check(visit, by, message):
    if not may_change(visit, by):
        raise PermissionDenied(message)


def involvement_record(*, visit, kind, user=None, inspector=None):
    """Note, for good, that someone had a part in the visit (once per kind)."""
    if user is not None and not user.is_authenticated:
        user = None
    if user is None and inspector is None:
        return
    Involvement.objects.get_or_create(visit=visit, kind=kind, user=user, inspector=inspector)


def value_of(instance, name):
    """A field's value as the audit log keeps it: a related object by its name."""
    value = getattr(instance, name)
    if hasattr(value, "_meta"):
        return str(value)
    return value


def write_revision(instance, *, based_on, values):
    """Write `values` on `instance` if its stored revision is still `based_on`; bump it.

    Returns the changes {field: [before, after]}. The caller holds the parent's lock.
    """
    model = type(instance)
    current = model.objects.select_for_update().filter(pk=instance.pk).first()
    if current is None or current.revision != based_on:
        raise StaleEdit(current=current)
    before = {name: value_of(current, name) for name in values}
    for name, value in values.items():
        setattr(current, name, value)
        setattr(instance, name, value)
    after = {name: value_of(current, name) for name in values}
    update = {**values, "revision": F("revision") + 1}
    if any(f.name == "updated_at" for f in model._meta.fields):
        update["updated_at"] = timezone.now()
    model.objects.filter(pk=instance.pk).update(**update)
    instance.revision = based_on + 1
    return changes(before, after)


RECIPIENT_FIELDS = [
    "recipient_honorific",
    "recipient_name",
    "recipient_job_title",
    "recipient_organisation",
    "recipient_address",
    "recipient_postcode",
    "salutation",
]


@transaction.atomic
def visit_create(*, by, focus_areas=(), **facts):
    """A new visit led by `by` (an inspector), its recipient block from the authority."""
    if by is not None and not is_inspector(by):
        raise PermissionDenied("Only inspectors create visits")
    visit = Visit(created_by=by, **facts)
    visit.fill_recipient_from_authority()
    visit.save()
    lead = inspector_of(by)
    TeamMember.objects.create(visit=visit, inspector=lead, role=TeamMember.Role.LEAD, position=0)
    VisitFocusArea.objects.bulk_create(
        VisitFocusArea(visit=visit, focus_area=area, position=n)
        for n, area in enumerate(focus_areas)
    )
    involvement_record(visit=visit, kind=Involvement.Kind.WROTE, user=by)
    involvement_record(visit=visit, kind=Involvement.Kind.TEAM, user=by, inspector=lead)
    record("visit.create", by=by, target=visit, lead=str(lead))
    return visit


@transaction.atomic
def visit_add(*, by, values):
    """A visit entered whole in the Django admin (its team follows, inline)."""
    visit = Visit(created_by=by, **values)
    visit.save()
    involvement_record(visit=visit, kind=Involvement.Kind.WROTE, user=by)
    record("visit.create", by=by, target=visit)
    return visit


@transaction.atomic
def visit_update(*, visit, by, based_on, values):
    """Change the visit's facts; a new authority brings its correspondence details.

    Returns a note for the user, or None.
    """
    locked = lock_visit(visit.pk)
    _check(locked, by, "You cannot change this visit now")
    note = None
    if "authority" in values and values["authority"].pk != locked.authority_id:
        probe = Visit(authority=values["authority"])
        probe.fill_recipient_from_authority()
        values = {**values, **{name: getattr(probe, name) for name in RECIPIENT_FIELDS}}
        note = f"The recipient was filled in from {values['authority']}'s details. Check it."
    changed = write_revision(visit, based_on=based_on, values=values)
    involvement_record(visit=locked, kind=Involvement.Kind.WROTE, user=by)
    record("visit.change", by=by, target=locked, changes=changed)
    return note


@transaction.atomic
def visit_set_focus_areas(*, visit, by, focus_areas, based_on):
    locked = lock_visit(visit.pk)
    _check(locked, by, "You cannot change this visit now")
    before = [str(v.focus_area) for v in locked.visit_focus_areas.select_related("focus_area")]
    write_revision(visit, based_on=based_on, values={})
    keep = {area.pk for area in focus_areas}
    locked.visit_focus_areas.exclude(focus_area__in=keep).delete()
    have = set(locked.visit_focus_areas.values_list("focus_area_id", flat=True))
    start = (locked.visit_focus_areas.aggregate(top=Max("position"))["top"] or 0) + 1
    VisitFocusArea.objects.bulk_create(
        VisitFocusArea(visit=locked, focus_area=area, position=start + n)
        for n, area in enumerate(a for a in focus_areas if a.pk not in have)
    )
    after = [str(v.focus_area) for v in locked.visit_focus_areas.select_related("focus_area")]
    involvement_record(visit=locked, kind=Involvement.Kind.WROTE, user=by)
    record("visit.focus_areas", by=by, target=locked, changes={"focus_areas": [before, after]})


def _own_focus_area(wording):
    """The catalogue's area with exactly these words, or a new one, offered only to the
    visits that choose it (not active: the catalogue is the administrators')."""
    area = FocusArea.objects.filter(wording=wording).first()
    if area is not None:
        return area
    words = wording.rstrip(".").split()
    name = ""
    for word in words:
        if len(name) + len(word) + 1 > OWN_NAME_LENGTH:
            name += "…"
            break
        name = f"{name} {word}".strip()
    base, n = name, 1
    while FocusArea.objects.filter(name=name).exists():
        n += 1
        name = f"{base} ({n})"
    return FocusArea.objects.create(name=name, wording=wording, is_active=False)


OWN_NAME_LENGTH = 60


@transaction.atomic
def focus_area_add_own(*, visit, by, wording):
    """A focus area in the inspector's own words, last on the visit: a new entry in the
    catalogue (or the one with the same words), not offered to other visits."""
    wording = " ".join(wording.split())
    if not wording:
        raise ValidationError("Enter the focus area as the letter should print it")
    locked = lock_visit(visit.pk)
    _check(locked, by, "You cannot change this visit now")
    area = _own_focus_area(wording)
    entry = locked.visit_focus_areas.filter(focus_area=area).first()
    if entry is None:
        top = locked.visit_focus_areas.aggregate(top=Max("position"))["top"]
        entry = VisitFocusArea.objects.create(
            visit=locked, focus_area=area, position=0 if top is None else top + 1
        )
    Visit.objects.filter(pk=locked.pk).update(revision=F("revision") + 1)
    involvement_record(visit=locked, kind=Involvement.Kind.WROTE, user=by)
    record("visit.focus_area_own", by=by, target=locked, focus_area=str(area), wording=wording)
    return entry


@transaction.atomic
def focus_area_move(*, entry, by, offset):
    """Move one of the visit's focus areas up (-1) or down (1) the printed list."""
    if offset not in (-1, 1):
        return False
    locked = lock_visit(entry.visit_id)
    _check(locked, by, "You cannot change this visit now")
    ordered = list(locked.visit_focus_areas.select_for_update().order_by("position", "pk"))
    index = next((n for n, e in enumerate(ordered) if e.pk == entry.pk), None)
    if index is None or not 0 <= index + offset < len(ordered):
        return False
    ordered[index], ordered[index + offset] = ordered[index + offset], ordered[index]
    for n, each in enumerate(ordered):
        each.position = n
    VisitFocusArea.objects.bulk_update(ordered, ["position"])
    Visit.objects.filter(pk=locked.pk).update(revision=F("revision") + 1)
    involvement_record(visit=locked, kind=Involvement.Kind.WROTE, user=by)
    record(
        "visit.focus_area_move",
        by=by,
        target=locked,
        focus_area=str(ordered[index + offset].focus_area),
        offset=offset,
    )
    return True


@transaction.atomic
def team_member_add(*, visit, by, inspector, role, position=None):
    locked = lock_visit(visit.pk)
    _check(locked, by, "The team cannot change while the letter is with quality assurance")
    if position is None:
        top = locked.team.aggregate(top=Max("position"))["top"]
        position = 0 if top is None else top + 1
    member = TeamMember.objects.create(
        visit=locked, inspector=inspector, role=role, position=position
    )
    Visit.objects.filter(pk=locked.pk).update(revision=F("revision") + 1)
    involvement_record(visit=locked, kind=Involvement.Kind.TEAM, inspector=inspector)
    involvement_record(visit=locked, kind=Involvement.Kind.WROTE, user=by)
    record(
        "team.add", by=by, target=locked, inspector=str(inspector), role=member.get_role_display()
    )
    return member


@transaction.atomic
def team_member_update(*, member, by, values):
    locked = lock_visit(member.visit_id)
    _check(locked, by, "The team cannot change while the letter is with quality assurance")
    before = {name: value_of(member, name) for name in values}
    TeamMember.objects.filter(pk=member.pk).update(**values)
    for name, value in values.items():
        setattr(member, name, value)
    Visit.objects.filter(pk=locked.pk).update(revision=F("revision") + 1)
    involvement_record(visit=locked, kind=Involvement.Kind.TEAM, inspector=member.inspector)
    involvement_record(visit=locked, kind=Involvement.Kind.WROTE, user=by)
    after = {name: value_of(member, name) for name in values}
    record("team.change", by=by, target=locked, changes=changes(before, after))


@transaction.atomic
def focus_area_save(*, entry, by):
    """Add or change one of the visit's focus areas (its place, its own wording)."""
    locked = lock_visit(entry.visit_id)
    _check(locked, by, "You cannot change this visit now")
    adding = entry._state.adding
    entry.save()
    Visit.objects.filter(pk=locked.pk).update(revision=F("revision") + 1)
    involvement_record(visit=locked, kind=Involvement.Kind.WROTE, user=by)
    record(
        "visit.focus_area_add" if adding else "visit.focus_area_change",
        by=by,
        target=locked,
        focus_area=str(entry.focus_area),
        wording=entry.wording,
    )


@transaction.atomic
def focus_area_remove(*, entry, by):
    locked = lock_visit(entry.visit_id)
    _check(locked, by, "You cannot change this visit now")
    VisitFocusArea.objects.filter(pk=entry.pk).delete()
    Visit.objects.filter(pk=locked.pk).update(revision=F("revision") + 1)
    involvement_record(visit=locked, kind=Involvement.Kind.WROTE, user=by)
    record("visit.focus_area_remove", by=by, target=locked, focus_area=str(entry.focus_area))


@transaction.atomic
def team_member_remove(*, member, by):
    locked = lock_visit(member.visit_id)
    _check(locked, by, "The team cannot change while the letter is with quality assurance")
    if member.role == TeamMember.Role.LEAD:
        raise PermissionDenied("The lead inspector cannot be removed; hand the lead over first")
    deleted, _ = TeamMember.objects.filter(pk=member.pk).delete()
    if deleted:
        Visit.objects.filter(pk=locked.pk).update(revision=F("revision") + 1)
        involvement_record(visit=locked, kind=Involvement.Kind.WROTE, user=by)
        record(
            "team.remove",
            by=by,
            target=locked,
            inspector=str(member.inspector),
            role=member.get_role_display(),
        )


@transaction.atomic
def team_lead_hand_over(*, member, by):
    """Make `member` the visit's lead inspector; the lead until now stays on the team as
    an inspector. The lead is never removed, only handed over (the letter is signed by
    its lead)."""
    locked = lock_visit(member.visit_id)
    _check(locked, by, "The team cannot change while the letter is with quality assurance")
    member = TeamMember.objects.select_related("inspector").get(pk=member.pk, visit=locked)
    if member.role == TeamMember.Role.LEAD:
        return member
    former = locked.team.filter(role=TeamMember.Role.LEAD).select_related("inspector").first()
    # One lead at a time (a unique constraint): the former lead steps down first.
    if former is not None:
        TeamMember.objects.filter(pk=former.pk).update(role=TeamMember.Role.INSPECTOR)
    TeamMember.objects.filter(pk=member.pk).update(role=TeamMember.Role.LEAD)
    member.role = TeamMember.Role.LEAD
    Visit.objects.filter(pk=locked.pk).update(revision=F("revision") + 1)
    involvement_record(visit=locked, kind=Involvement.Kind.TEAM, inspector=member.inspector)
    involvement_record(visit=locked, kind=Involvement.Kind.WROTE, user=by)
    record(
        "team.lead",
        by=by,
        target=locked,
        former=str(former.inspector) if former else "",
        lead=str(member.inspector),
    )
    return member


# Reference data (authorities, offices, inspectors, focus areas, authority users) is
# entered by administrators in the Django admin; each save and delete is audited.


@transaction.atomic
def reference_save(*, instance, by, changed=()):
    adding = instance._state.adding
    instance.save()
    action = f"{instance._meta.model_name}.{'create' if adding else 'change'}"
    record(action, by=by, target=instance, fields=sorted(changed))
    return instance


@transaction.atomic
def user_save(*, user, by, changed=(), roles_before=None):
    """Save a user changed in the admin: "user.change" names the fields changed (never
    their values: one is the password hash), and "user.roles" the roles (groups) given
    and taken, which decide what the user may do on the next request."""
    user.save()
    if changed:
        record("user.change", by=by, target=user, fields=sorted(changed))
    if roles_before is not None:
        after = set(user.groups.values_list("name", flat=True))
        if after != set(roles_before):
            record(
                "user.roles",
                by=by,
                target=user,
                added=sorted(after - set(roles_before)),
                removed=sorted(set(roles_before) - after),
            )
    return user


@transaction.atomic
def reference_delete(*, instance, by):
    name = str(instance)
    target = (type(instance), instance.pk)
    instance.delete()
    record(f"{instance._meta.model_name}.delete", by=by, target=target, name=name)


@transaction.atomic
def authorities_load(*, by, rows=None):
    """Load the canonical list of authorities (inspections.authorities): give each
    record its ONS code and region, adding those missing. A record the portal already
    has under another written form of the name (an import's "Slough Borough Council")
    gets the code and keeps its name, which its letters print. Running it again
    changes nothing. One audit event when anything changed; returns the counts."""
    rows = authorities.read_rows() if rows is None else rows
    counts = {"created": [], "updated": [], "unchanged": 0, "conflicts": []}
    for row in rows:
        authority = LocalAuthority.objects.filter(ons_code=row.ons_code).first()
        if authority is None:
            uncoded = LocalAuthority.objects.filter(ons_code="")
            authority = next(
                (
                    found
                    for name in row.names
                    if (found := authorities.match_authority(name, queryset=uncoded))
                ),
                None,
            )
        if authority is None and LocalAuthority.objects.filter(name__iexact=row.name).exists():
            # Its name is taken by a record with another code: an administrator decides.
            counts["conflicts"].append(row.ons_code)
        elif authority is None:
            LocalAuthority.objects.create(name=row.name, ons_code=row.ons_code, region=row.region)
            counts["created"].append(row.ons_code)
        elif (authority.ons_code, authority.region) != (row.ons_code, row.region):
            authority.ons_code, authority.region = row.ons_code, row.region
            authority.save(update_fields=["ons_code", "region"])
            counts["updated"].append(row.ons_code)
        else:
            counts["unchanged"] += 1
    if counts["created"] or counts["updated"]:
        record("localauthority.load", by=by, **counts)
    return counts


@transaction.atomic
def inspector_merge(*, source, into, by):
    """Merge two records of one person: `source`'s team places, involvements and the
    visits it quality assured move to `into`, then `source` is deleted. Where both were
    on one visit, `into` keeps its place (and the lead's role if either led). One audit
    event."""
    if source.pk == into.pk:
        raise ValidationError("An inspector cannot be merged into itself")
    source, into = (Inspector.objects.select_for_update().get(pk=i.pk) for i in (source, into))
    if source.user_id and into.user_id:
        raise ValidationError(
            f"Both {source.full_name} and {into.full_name} have a user account: "
            "remove one of them first"
        )
    moved = {"team_places": 0, "involvements": 0, "visits_quality_assured": 0}
    for member in TeamMember.objects.filter(inspector=source).select_for_update():
        kept = TeamMember.objects.filter(visit_id=member.visit_id, inspector=into).first()
        if kept is None:
            member.inspector = into
            member.save(update_fields=["inspector"])
        else:
            member.delete()
            if member.role == TeamMember.Role.LEAD:
                kept.role = TeamMember.Role.LEAD
                kept.save(update_fields=["role"])
        moved["team_places"] += 1
    for involvement in Involvement.objects.filter(inspector=source):
        duplicate = Involvement.objects.filter(
            visit_id=involvement.visit_id,
            kind=involvement.kind,
            inspector=into,
            user_id=involvement.user_id,
        ).exists()
        if duplicate:
            involvement.delete()  # the same part, already on record under `into`
        else:
            involvement.inspector = into
            involvement.save(update_fields=["inspector"])
        moved["involvements"] += 1
    moved["visits_quality_assured"] = Visit.objects.filter(qa_manager=source).update(
        qa_manager=into
    )
    if source.user_id:
        user_id = source.user_id
        source.user = None
        source.save(update_fields=["user"])
        into.user_id = user_id
        into.save(update_fields=["user"])
    name, source_pk = source.full_name, source.pk
    source.delete()
    record("inspector.merge", by=by, target=into, merged=name, merged_id=source_pk, **moved)
    return into


# A user account, made in the admin (inspections.user_admin) on one page: the user, their
# role, and the record the role needs.

# The roles whose holders have an Inspector record, and the grade each has unless told.
INSPECTOR_GRADES = {
    roles.INSPECTOR: Inspector.Grade.HMI,
    roles.QA_MANAGER: Inspector.Grade.SENIOR_HMI,
}


def user_problems(*, role, email, full_name, authority):
    """{field: message} of what stops the user being made (the admin's form shows them)."""
    problems = {}
    if role not in roles.ALL:
        problems["role"] = "Choose their role"
    if not (email or "").strip():
        problems["email"] = "Enter their e-mail address: the portal tells them by e-mail"
    if role in INSPECTOR_GRADES and not (full_name or "").strip():
        problems["full_name"] = "Enter their full name, as it is printed in letters"
    if role == roles.AUTHORITY_USER and authority is None:
        problems["authority"] = "Choose the local authority they work for"
    elif role != roles.AUTHORITY_USER and authority is not None:
        problems["authority"] = "Leave the authority empty: only a local authority user has one"
    return problems


@transaction.atomic
def user_create(*, by, username, email, password, role, full_name="", grade="", authority=None):
    """Make a user with one role: an inspector or QA manager with their Inspector record
    (their full name and grade: HMI, or Senior HMI for a QA manager, unless given), a local
    authority user with their authority, an administrator with access to the admin (staff).
    `password` None leaves them without a usable one. The full name is also the user's first
    and last name, split at its last space.

    Writes "user.create", and for an inspector, QA manager or authority user the record's
    own event, as the admin's reference data saves do ("inspector.create",
    "authorityuser.create")."""
    if by is None or not by.has_perm("auth.add_user"):
        raise PermissionDenied("Only an administrator who may add users can make one")
    problems = user_problems(role=role, email=email, full_name=full_name, authority=authority)
    if problems:
        raise ValidationError(problems)
    full_name = " ".join(full_name.split())
    first_name, _, last_name = full_name.rpartition(" ")
    user_model = get_user_model()
    user = user_model(
        username=username,
        email=user_model.objects.normalize_email(email.strip()),
        first_name=first_name,
        last_name=last_name,
        is_staff=role == roles.ADMINISTRATOR,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    roles.grant(user, role)
    record(
        "user.create",
        by=by,
        target=user,
        username=user.get_username(),
        email=user.email,
        role=role,
        staff=user.is_staff,
    )
    if role in INSPECTOR_GRADES:
        inspector = Inspector(full_name=full_name, grade=grade or INSPECTOR_GRADES[role], user=user)
        reference_save(instance=inspector, by=by, changed=["full_name", "grade", "user"])
    elif role == roles.AUTHORITY_USER:
        membership = AuthorityUser(user=user, authority=authority)
        reference_save(instance=membership, by=by, changed=["authority", "user"])
    return user
