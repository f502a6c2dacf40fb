"""What each user may see, as querysets (the rules are those of letters.permissions)."""

import functools
import itertools
import re

from django.conf import settings
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    prefetch_related_objects,
)
from django.http import Http404

from audit.backends import as_the_orm_reads
from audit.services import record_refusal
from inspections.models import Involvement, LocalAuthority, TeamMember, Visit
from letters.deadlines import LETTER_FIELDS
from letters.models import Comment, FollowUp, Item, Letter, PublishedVersion, Section
from letters.permissions import (
    authority_of,
    can_view_draft,
    inspector_of,
    is_administrator,
    is_qa_manager,
)
from letters.rendering.compose import letter_queryset


def visits_of_inspector(*, user):
    """The visits the user leads or is on the team of, newest first, ready for a list (a
    Paginator takes it): each a dict of its pk, dates, authority_id and authority_name,
    letter_status (None without a letter), lead_name (None without a lead) and the
    letter's dates its deadlines are counted from (letters.deadlines.LETTER_FIELDS, each
    as letter_<name>)."""
    inspector = inspector_of(user)
    return InspectorVisitRows(None if inspector is None else inspector.pk)


class InspectorVisitRows:
    """One inspector's visit list, for a Paginator: count() and slices.

    The ORM builds each query's SQL once a process (_visit_list_sql), and each list runs it
    with its own inspector, offset and limit: for this page, building a query costs the
    ORM more than running it costs the database. A page's rows come with the count of
    them all, so read_page() before the Paginator asks makes the list one query, not two.
    """

    def __init__(self, inspector_id):
        self.inspector_id = inspector_id
        self._total = None
        self._read = {}  # (start, stop): the rows

    def read_page(self, number, per_page):
        """Reads page `number` (as a Paginator's get_page takes it: anything not a page
        number is page 1), and with it the count, for the Paginator to ask for next."""
        try:
            # A page past the end reads nothing, and the Paginator then asks for the last;
            # a number too large for the database's offset goes no further than that.
            number = min(max(int(number), 1), MOST_PAGES)
        except (TypeError, ValueError):
            number = 1
        start = (number - 1) * per_page
        return self[start : start + per_page]

    def count(self):
        if self.inspector_id is None:
            return 0
        if self._total is None:
            sql, params = _visit_list_sql()["count"]
            rows = _run_built(sql, params, _ANY_INSPECTOR, self.inspector_id)
            self._total = rows[0][0] if rows else 0  # grouped by the inspector: none, none
        return self._total

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        if not isinstance(window, slice) or window.step is not None:
            raise TypeError("a visit list is read a page at a time: rows[start:stop]")
        start, stop = window.start or 0, window.stop
        if self.inspector_id is None or (stop is not None and stop <= start):
            return []
        window = self._window(start, stop)
        if window not in self._read:
            rows = self._rows(start, stop)
            # Kept as the Paginator will ask for it, now that the count is known.
            self._read[self._window(start, stop)] = rows
            return rows
        return self._read[window]

    def _window(self, start, stop):
        """(start, stop), with stop no further than the end once the count is known: a
        Paginator asks for its last page up to the count, not a whole page's length."""
        if self._total is not None and (stop is None or stop > self._total):
            stop = max(self._total, start)
        return start, stop

    def _rows(self, start, stop):
        sql, params = _visit_list_sql()["rows"]
        # The page's length and offset written in, not parameters: the planner keeps one
        # plan for a statement only when its parameters cannot change the plan's cost
        # (with either a parameter it planned every run afresh). Prepared for the first
        # PREPARED_PAGES pages, those lists show most: a connection keeps that many
        # statements a page length at most, however many pages are asked for.
        sql = f"{sql} LIMIT {int(stop - start) if stop else 'ALL'} OFFSET {int(start)}"
        name = None
        if stop is not None and start < PREPARED_PAGES * (stop - start):
            name = f"letters_visit_list_{int(stop - start)}_{int(start)}"
        with connection.cursor() as cursor:
            params = _filled(params, _ANY_INSPECTOR, self.inspector_id)
            _execute_prepared(cursor, name, sql, params)
            names = [column[0] for column in cursor.description]
            rows = [
                {name: as_the_orm_reads(value) for name, value in zip(names, row, strict=True)}
                for row in cursor.fetchall()
            ]
        for row in rows:
            self._total = row.pop("total")
        return rows


# The furthest page a visit list reads before it knows how many there are.
MOST_PAGES = 10**6
# The pages of a visit list that run as prepared statements (_execute_prepared).
PREPARED_PAGES = 10

# Stands for the inspector's id while the queries are built; each run puts the real one in.
_ANY_INSPECTOR = -271828


def _filled(params, stand_in, value):
    """A built query's parameters with `value` in the stand-in's place."""
    return [value if param == stand_in else param for param in params]


def _execute_prepared(cursor, name, sql, params):
    """Runs `sql` with `params`, on PostgreSQL as the prepared statement `name` (unless
    None): planned once a connection rather than on every run. The visit list's query
    takes the planner three times as long as it takes to run (about 0.45 ms and 0.15 ms).

    A connection prepares it on first use; a new connection (the old one closed, or
    lost) prepares it again. Prepared statements belong to the database session, so a
    pooler between the portal and PostgreSQL that hands one session to several clients
    (PgBouncer in transaction mode) would lose them: DJANGO_DB_PREPARED_STATEMENTS=0 then
    runs the query as it is, planned each time.
    """
    if name is None or connection.vendor != "postgresql" or not settings.DB_PREPARED_STATEMENTS:
        cursor.execute(sql, params)
        return
    raw = connection.connection
    prepared = connection.__dict__.setdefault("letters_prepared", {})
    if prepared.get(name) is not raw:
        numbers = iter(range(1, len(params) + 1))
        assert "%%" not in sql, "a literal % would be read as a placeholder"
        numbered = re.sub("%s", lambda _: f"${next(numbers)}", sql)
        cursor.execute(f"PREPARE {name} AS {numbered}")
        prepared[name] = raw
    cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})", params)


@functools.cache
def _visit_list_sql():
    """The SQL, with its parameters, of an inspector's visit list and of its count.

    The rows: the visits with what the list shows and no more, as dicts (no model to build
    a row): the dates, the authority, the lead inspector's name (a visit has at most one
    lead: the constraint one_lead_inspector_per_visit) and the letter's status and the
    dates its next deadline is counted from; not the recipient block or the letter's
    words. The inspector's visits as a subquery rather than a join: no DISTINCT, so the
    database reads the newest in index order instead of sorting every visit the inspector
    was on. The count: the inspector's places on teams, one a visit (the constraint
    inspector_once_per_visit), without touching the visits."""
    teams = TeamMember.objects.filter(inspector_id=_ANY_INSPECTOR)
    count = teams.order_by().values("inspector_id").annotate(n=Count("*")).values("n")
    lead = TeamMember.objects.filter(visit=OuterRef("pk"), role=TeamMember.Role.LEAD).order_by()
    letter_fields = {f"letter_{name}": F(f"letter__{name}") for name in LETTER_FIELDS}
    rows = (
        Visit.objects.filter(pk__in=teams.values("visit_id"))
        .annotate(
            authority_name=F("authority__name"),
            lead_name=Subquery(lead.values("inspector__full_name")[:1]),
            # The same for every row: the database works it out once (a subquery that
            # does not depend on the row).
            total=Subquery(count),
            **letter_fields,
        )
        .order_by("-start_date", "-pk")
        .values(
            "pk",
            "start_date",
            "end_date",
            "letter_date",
            "authority_id",
            "authority_name",
            "lead_name",
            # letter_status among them.
            *letter_fields,
            "total",
        )
    )
    built = {"rows": rows.query.sql_with_params(), "count": count.query.sql_with_params()}
    for sql, params in built.values():
        # The stand-in is where the inspector goes (the rows name them twice).
        assert _ANY_INSPECTOR in params, (sql, params)
    return built


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


def visit_for_editor(*, user, pk):
    """The visit for the letter editor, if the user may read its draft (else 404, as
    visit_for_letter_pages): with what the editor reads of the visit and the letter and no
    more. The visit's date and authority, the letter's state and template and whether it
    has open comments (open_comments_for_editor), in one query; the team (the access
    rules), in its own order, in another. Not the letter's words, nor the involvements,
    focus areas, office or QA manager that printing the letter reads (letter_queryset);
    the sections apart (sections_with_items). Another field loads when read, a query each
    (tests/letters/test_query_counts.py counts them).

    The ORM builds the first query once a process (_editor_letter_sql) and each page runs
    it for its visit: for the editor, building a query cost more than running it."""
    built = _editor_letter_sql()
    rows = _run_built(built["sql"], built["params"], _ANY_VISIT, pk)
    letter = None
    if rows:
        letter_fields, visit_fields, authority_fields = built["fields"]
        row = iter(rows[0])
        letter = Letter.from_db(connection.alias, letter_fields, _take(row, letter_fields))
        visit = Visit.from_db(connection.alias, visit_fields, _take(row, visit_fields))
        visit.authority = LocalAuthority.from_db(
            connection.alias, authority_fields, _take(row, authority_fields)
        )
        letter.visit = visit
        letter.has_open_comments = bool(next(row))
        prefetch_related_objects([visit], _team_in_order())
    return _visit_if_visible(user, pk, letter)


# Stand for the visit's and the letter's ids while the editor's queries are built; each
# run puts the real one in.
_ANY_VISIT, _ANY_LETTER = -141421, -161803


@functools.cache
def _editor_letter_sql():
    """The SQL and parameters of the editor's letter, and the fields of the letter, its
    visit and the visit's authority in its row, in that order and each in its model's
    (Model.from_db takes them so); whether it has open comments last."""
    fields = (
        _fields(Letter, {"id", "visit_id", "status", "template"}),
        _fields(Visit, {"id", "authority_id", "start_date"}),
        _fields(LocalAuthority, {"id", "name"}),
    )
    letter_fields, visit_fields, authority_fields = fields
    # One letter a visit: no order to keep (the letters' own is by their visit's date).
    row = (
        Letter.objects.filter(visit_id=_ANY_VISIT)
        .order_by()
        .annotate(has_open_comments=Exists(_open_comments().filter(letter=OuterRef("pk"))))
        .values_list(
            *letter_fields,
            *(f"visit__{name}" for name in visit_fields),
            *(f"visit__authority__{name}" for name in authority_fields),
            "has_open_comments",
        )
    )
    sql, params = row.query.sql_with_params()
    assert list(params).count(_ANY_VISIT) == 1, (sql, params)
    return {"sql": sql, "params": params, "fields": fields}


def _team_in_order():
    """The visit's team in its own order, not joined to its visit for the visits' order.
    A new one each time: prefetching notes the instances it fills on its queryset."""
    return Prefetch("team", queryset=TeamMember.objects.order_by("position", "id"))


def sections_with_items(*, letter):
    """The letter's sections in order, each with its items in order as item_list, in one
    query, with what the editor reads of them (another field loads when read, a query
    each; letter.sections is not filled).

    The ORM builds the query once a process (_sections_with_items_sql) and each page runs
    it for its letter, as for visit_for_editor."""
    built = _sections_with_items_sql()
    section_fields, item_fields = built["fields"]
    sections = []
    for row in _run_built(built["sql"], built["params"], _ANY_LETTER, letter.pk):
        row = iter(row)
        values = _take(row, section_fields)
        if not sections or sections[-1].pk != values[0]:  # the id, first of a model's fields
            section = Section.from_db(connection.alias, section_fields, values)
            section.item_list = []
            sections.append(section)
        values = _take(row, item_fields)
        if values[0] is not None:  # a section without items has one row, with no item
            section.item_list.append(Item.from_db(connection.alias, item_fields, values))
    return sections


@functools.cache
def _sections_with_items_sql():
    """The SQL and parameters of a letter's sections with their items, and the fields of
    each in a row: a row for each item, its section's fields first, and one with no item
    for a section without any (a left join). The fields the editor reads, in the models'
    order (Model.from_db takes them so)."""
    fields = (
        _fields(
            Section, {"id", "kind", "heading", "heading_footnote", "lead_in", "none_statement"}
        ),
        _fields(Item, {"id", "section_id", "style", "text", "cross_reference", "footnote"}),
    )
    section_fields, item_fields = fields
    rows = (
        Section.objects.filter(letter_id=_ANY_LETTER)
        .order_by("position", "items__position")
        .values_list(*section_fields, *(f"items__{name}" for name in item_fields))
    )
    sql, params = rows.query.sql_with_params()
    assert list(params).count(_ANY_LETTER) == 1, (sql, params)
    return {"sql": sql, "params": params, "fields": fields}


def _fields(model, names):
    """The model's fields of these names, in the model's order. The editor's queries read
    text, dates and ids, which each database's driver gives as the ORM would (it has
    nothing to convert)."""
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname in names)


def _run_built(sql, params, stand_in, value):
    """The rows of a query the ORM built once, run with value in the stand-in's place."""
    with connection.cursor() as cursor:
        cursor.execute(sql, _filled(params, stand_in, value))
        return cursor.fetchall()


def _take(row, fields):
    """The next values of a row, one for each field."""
    return tuple(itertools.islice(row, len(fields)))


def open_comments_for_editor(*, letter):
    """The letter's open comments, oldest first, each with what the editor shows of it and
    its author's name (inspections.access.name_of: the user and their Inspector record).
    No query for a letter that has none (has_open_comments: visit_for_editor)."""
    if not letter.has_open_comments:
        return []
    return list(_open_comments().filter(letter_id=letter.pk))


@functools.cache
def _open_comments():
    """Built once a process, and each page filters a copy: building it costs about as
    much as running it."""
    return (
        Comment.objects.filter(resolved_at__isnull=True)
        .select_related("author__inspector")
        .only(
            "item",
            "item_text",
            "text",
            "created_at",
            "author__username",
            "author__first_name",
            "author__last_name",
            "author__inspector__full_name",
        )
    )


def visit_for_letter_pages(*, user, pk):
    """The visit with everything the drafting pages read (letter_queryset(), what printing
    the letter reads, the visit's team among it, which the access rule reads), if the
    user may read its draft.

    Answers 404 both for a visit that does not exist and for one the user may not see.
    The editor reads less, and loads it with visit_for_editor.
    """
    # One letter a visit: no order to keep (the letters' own is by their visit's date).
    letter = letter_queryset().filter(visit_id=pk).order_by("pk").first()
    return _visit_if_visible(user, pk, letter)


def _visit_if_visible(user, pk, letter):
    """The letter's visit if the user may read its draft: 404 if there is no letter, and
    the same 404, audited, if the user may not see it."""
    if letter is None:
        raise Http404("No such visit")
    # The rule of visits_with_visible_drafts, asked of the letter in hand (its team is
    # prefetched) rather than as a subquery each page would build and the database plan.
    if not can_view_draft(user, letter):
        record_refusal(by=user, key=f"visit:{pk}", target=letter, visit=pk)
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
