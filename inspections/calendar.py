"""The working-day calendar: the days on which deadlines run and letters are published.

A working day is a Monday to Friday that is not a bank holiday in England and not in a
publication pause (inspections.models.PublicationPause) that applies: a national pause
applies to every authority, an authority's pause to that authority alone. Without an
authority, only national pauses count.

England's bank holidays come from the `holidays` library (the UK calendar, subdivision
England), so no network is needed: its rules give every year's regular holidays and
substitute days, and its releases add the one-off ones (2022's Platinum Jubilee and the
Queen's state funeral, 2023's coronation). A newly announced one arrives by updating the
pinned version; until then, declare it as a national pause.

Every function that looks at more than one day reads the pauses it needs with one query,
and an `authority` may be a LocalAuthority, its id, or None.

Days are counted, not walked: a list of letters asks for a dozen dates a row, some of
them years apart. Each year's weekdays that are not bank holidays are listed once a
process, with a running count, so that counting them over a span or finding the n-th
is a lookup. The pauses are merged once per authority into separate runs, each with the
working days it takes away, found by binary search. Adding n working days goes n of
those weekdays on, then on again by as many as the pauses closed on the way, until
they closed none.
"""

import bisect
import datetime
import functools
import time

import holidays
from django.conf import settings
from django.db.models import Q

from inspections.models import PublicationPause

ONE_DAY = datetime.timedelta(days=1)


@functools.cache
def bank_holidays(year):
    """England's bank holidays in `year`, substitute days included, as a frozenset."""
    # The neighbouring years too, so a substitute day that falls in `year` is kept.
    years = range(max(year - 1, datetime.MINYEAR), min(year + 1, datetime.MAXYEAR) + 1)
    calendar = holidays.country_holidays("GB", subdiv="ENG", years=years)
    return frozenset(day for day in calendar if day.year == year)


def is_bank_holiday(day):
    return day in bank_holidays(day.year)


def _is_weekday_open(day):
    """Monday to Friday and not a bank holiday: a working day unless a pause says not."""
    return day.weekday() < 5 and not is_bank_holiday(day)


def _pauses(authority):
    """The pauses that apply to `authority`: national ones, and its own."""
    applies = Q(authority__isnull=True)
    if authority is not None:
        applies |= Q(authority=authority)
    return PublicationPause.objects.filter(applies)


def pauses_covering(day, authority=None):
    """The pauses that apply to `authority` (national only for None) and include `day`,
    earliest first."""
    return (
        _pauses(authority)
        .filter(start_date__lte=day, end_date__gte=day)
        .select_related("authority")
        .order_by("start_date", "id")
    )


@functools.cache
def _year(year):
    """`year`'s weekdays that are not bank holidays (its open days), as (the ordinal of 1
    January, open days up to each day: item i + 1 counts days 0 to i of the year, the
    open days' ordinals in order). Counting and stepping through open days then costs
    a lookup, not a walk, and a year is worked out once a process."""
    first = datetime.date(year, 1, 1).toordinal()
    last = datetime.date(year, 12, 31).toordinal()
    closed = {day.toordinal() for day in bank_holidays(year)}
    upto, open_days = [0], []
    for ordinal in range(first, last + 1):
        # Ordinal 1, 1 January of year 1, was a Monday.
        if (ordinal - 1) % 7 < 5 and ordinal not in closed:
            open_days.append(ordinal)
        upto.append(len(open_days))
    return first, tuple(upto), tuple(open_days)


@functools.lru_cache(maxsize=4096)
def _open_in_years(first, last):
    """The open days of the years from `first` up to, not including, `last`."""
    return sum(len(_year(year)[2]) for year in range(first, last))


def _beyond(year, step):
    """The year after (`step` 1) or before (-1) `year`; past the calendar's ends, the
    OverflowError that stepping a date past them raises."""
    year += step
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise OverflowError("date value out of range")
    return year


def _open_after(start, end):
    """The open days after `start` up to and including `end` (`end` >= `start`): the
    working days, before any pause."""
    first, upto, _ = _year(end.year)
    count = upto[end.toordinal() - first + 1]
    first, upto, _ = _year(start.year)
    count -= upto[start.toordinal() - first + 1]
    if start.year != end.year:
        count += _open_in_years(start.year, end.year)
    return count


def _is_open(day):
    first, upto, _ = _year(day.year)
    i = day.toordinal() - first
    return upto[i + 1] > upto[i]


def _nth_open_after(day, n):
    """The n-th open day after `day` (n >= 1)."""
    year = day.year
    first, upto, open_days = _year(year)
    place = upto[day.toordinal() - first + 1] + n  # among the year's open days, from 1
    while place > len(open_days):
        place -= len(open_days)
        year = _beyond(year, 1)
        open_days = _year(year)[2]
    return datetime.date.fromordinal(open_days[place - 1])


def _first_open_from(day):
    """`day` if it is an open day, otherwise the first open day after it."""
    year = day.year
    first, upto, open_days = _year(year)
    before = upto[day.toordinal() - first]  # the year's open days before `day`
    while before == len(open_days):
        year, before = _beyond(year, 1), 0
        open_days = _year(year)[2]
    return datetime.date.fromordinal(open_days[before])


def _last_open_before(day):
    """The last open day before `day`."""
    year = day.year
    first, upto, open_days = _year(year)
    before = upto[day.toordinal() - first]
    while not before:
        year = _beyond(year, -1)
        open_days = _year(year)[2]
        before = len(open_days)
    return datetime.date.fromordinal(open_days[before - 1])


class _Closures:
    """The days the pauses of one authority (national ones included) close: their spans
    merged into sorted, separate runs of days, and the working days each run takes away."""

    def __init__(self, spans):
        merged = []
        for start, end in sorted(spans):
            # A pause that overlaps or follows on from the run before it joins that run.
            if merged and (start - merged[-1][1]).days <= 1:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [start for start, _ in merged]
        self.ends = [end for _, end in merged]
        # closed_before[i]: the working days taken away by the runs before run i.
        self.closed_before = [0]
        for start, end in merged:
            self.closed_before.append(self.closed_before[-1] + self._open_from(start, end))

    @staticmethod
    def _open_from(start, day):
        """The open days from `start` up to and including `day`."""
        return _is_open(start) + _open_after(start, day)

    def run_of(self, day):
        """The index of the run that includes `day`, or None."""
        i = bisect.bisect_right(self.starts, day) - 1
        return i if i >= 0 and day <= self.ends[i] else None

    def closed_to(self, day):
        """The working days the runs take away up to and including `day`: a running count,
        so that the difference of two is what they take away between them."""
        i = bisect.bisect_right(self.starts, day)
        if i == 0:
            return 0
        if day >= self.ends[i - 1]:
            return self.closed_before[i]
        return self.closed_before[i - 1] + self._open_from(self.starts[i - 1], day)


class _Calendar:
    """The working days of the given pauses: rows of (authority id or None, first day,
    last day). The arithmetic behind WorkingDays and the functions below."""

    def __init__(self, rows):
        self._spans = {}
        for authority, start, end in rows:
            self._spans.setdefault(authority, []).append((start, end))
        self._closures = {}

    def _closed(self, authority):
        """The merged pauses that apply to `authority`, worked out on first use."""
        closures = self._closures.get(authority)
        if closures is None:
            if authority is not None and authority not in self._spans:
                closures = self._closed(None)  # national pauses alone
            else:
                spans = self._spans.get(None, [])
                if authority is not None:
                    spans = spans + self._spans[authority]
                closures = _Closures(spans)
            self._closures[authority] = closures
        return closures

    def is_working_day(self, day, *, authority=None):
        return _is_open(day) and self._closed(authority).run_of(day) is None

    def between(self, start, end, *, authority=None):
        """As working_days_between: the working days after `start` up to and including `end`."""
        if end < start:
            return -self.between(end, start, authority=authority)
        count = _open_after(start, end)
        closures = self._closed(authority)
        if closures.starts:
            count -= closures.closed_to(end) - closures.closed_to(start)
        return count

    def add(self, start, n, *, authority=None):
        """As add_working_days: the n-th working day after `start` (`start` for 0)."""
        if n < 0:
            raise ValueError(f"n must be 0 or more, not {n}")
        closures = self._closed(authority)
        day = start
        # `day` never passes the answer, and `n` is the working days still to go after it.
        # Working days are open days, so the answer is at least n open days on; if pauses
        # closed some of those, at least that many more.
        while n:
            run = closures.run_of(day)
            if run is not None:
                day = closures.ends[run]  # the rest of a pause has no working day
            after = _nth_open_after(day, n)
            # Those the pauses closed are still to go.
            n = closures.closed_to(after) - closures.closed_to(day) if closures.starts else 0
            day = after
        return day

    def next(self, day, *, authority=None):
        """As next_working_day: `day` if a working day, else the first working day after."""
        closures = self._closed(authority)
        while True:
            day = _first_open_from(day)
            run = closures.run_of(day)
            if run is None:
                return day
            day = closures.ends[run] + ONE_DAY

    def previous(self, day, *, authority=None):
        """The last working day before `day`."""
        closures = self._closed(authority)
        while True:
            day = _last_open_before(day)
            run = closures.run_of(day)
            if run is None:
                return day
            day = closures.starts[run]


def _national(rows):
    """A calendar of pauses already chosen for one authority: counted as national."""
    return _Calendar((None, start, end) for start, end in rows)


def is_working_day(day, *, authority=None):
    """Whether `day` is a working day: Monday to Friday, not an English bank holiday, and
    in no pause that applies to `authority` (national pauses only, for None)."""
    return _is_weekday_open(day) and not pauses_covering(day, authority).exists()


def working_days_between(start, end, *, authority=None):
    """The number of working days after `start`, up to and including `end`.

    0 when `end` is `start`. When `end` is before `start` the count is negative: minus
    the working days after `end` up to and including `start`. So it is always "working
    days up to `end`" less "working days up to `start`", and for a deadline it reads as
    the working days left (negative once overdue). `start` itself never counts, so the
    count is the same whether or not `start` is a working day.
    """
    if end < start:
        return -working_days_between(end, start, authority=authority)
    if end == start:
        return 0
    rows = _pauses(authority).filter(start_date__lte=end, end_date__gt=start)
    return _national(rows.values_list("start_date", "end_date")).between(start, end)


def add_working_days(start, n, *, authority=None):
    """The date `n` working days after `start`: the n-th working day after it.

    `n` must be 0 or more; 0 gives `start` itself, working day or not (use
    next_working_day for the first working day from a date). For n > 0 the answer is
    always a working day, and working_days_between(start, answer) == n.
    """
    if n < 0:
        raise ValueError(f"n must be 0 or more, not {n}")
    if n == 0:
        return start
    # Every pause from `start` on: the table holds a few a year, and the answer is then
    # found without a second read however far the pauses push it.
    rows = _pauses(authority).filter(end_date__gt=start)
    return _national(rows.values_list("start_date", "end_date")).add(start, n)


def next_working_day(day, *, authority=None):
    """`day` itself if it is a working day, otherwise the first working day after it."""
    rows = _pauses(authority).filter(end_date__gte=day)
    return _national(rows.values_list("start_date", "end_date")).next(day)


class WorkingDays(_Calendar):
    """The working-day calendar for every authority at once, from one read of the pauses.

    For a list of letters whose deadlines are counted row by row: the functions above
    read the pauses on each call, this reads them all once (the table holds a few rows a
    year) and then answers from memory. Its answers are those of the functions above;
    `authority` is a LocalAuthority's id or None (national pauses only).
    """

    def __init__(self):
        rows = PublicationPause.objects.order_by()
        super().__init__(rows.values_list("authority_id", "start_date", "end_date"))


# The lists' calendar in this process: (when it was read, on the monotonic clock; it).
_for_lists = None


def working_days_for_lists():
    """The working-day calendar for the deadline columns of lists (the visit list, the
    review queue, letters in flight): a WorkingDays kept for LIST_CALENDAR_SECONDS in
    this process, so that a list does not read the pauses each time. A pause declared
    since shows in these columns within that time (at once in the process that saved it:
    forget_lists_calendar). A letter's timeline, the calendar feeds, reminders and
    publication read the pauses afresh, with WorkingDays() or the functions above."""
    global _for_lists
    seconds = settings.LIST_CALENDAR_SECONDS
    now = time.monotonic()
    if _for_lists is None or now - _for_lists[0] >= seconds:
        _for_lists = (now, WorkingDays())
    return _for_lists[1]


def forget_lists_calendar(**kwargs):
    """The pauses changed: the next list in this process reads them again."""
    global _for_lists
    _for_lists = None
