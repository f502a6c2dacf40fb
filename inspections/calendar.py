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

Every function that looks at more than one day reads the pauses it needs with one query
(re-reading a longer window only when pauses push the answer past the first guess), and
an `authority` may be a LocalAuthority, its id, or None.
"""

import datetime
import functools

import holidays
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


def _shifted(day, days):
    """`day` moved by `days`, held within the dates Python can represent."""
    try:
        return day + datetime.timedelta(days=days)
    except OverflowError:
        return datetime.date.max if days > 0 else datetime.date.min


def _weekdays_after(start, end):
    """Mondays to Fridays after `start` up to and including `end` (`end` >= `start`),
    counted by whole weeks: a deadline list counts years of days for each row."""
    weeks, rest = divmod((end - start).days, 7)
    first = start.weekday()
    return weeks * 5 + sum((first + i) % 7 < 5 for i in range(1, rest + 1))


def _open_weekdays_after(start, end):
    """Weekdays after `start` up to `end` that are not bank holidays."""
    holidays_in = sum(
        1
        for year in range(start.year, end.year + 1)
        for day in bank_holidays(year)
        if start < day <= end and day.weekday() < 5
    )
    return _weekdays_after(start, end) - holidays_in


def _closed_by_pauses(paused_days, start, end):
    """The paused days after `start` up to `end` that would otherwise be working days."""
    return {
        day
        for day in paused_days
        if start < day <= end and day.weekday() < 5 and not is_bank_holiday(day)
    }


class _PausedDays:
    """The paused days of a window, read with one query and grown when a day falls out."""

    def __init__(self, authority, first, last):
        self.authority = authority
        self._read(first, last)

    def _read(self, first, last):
        paused = set()
        rows = _pauses(self.authority).filter(start_date__lte=last, end_date__gte=first)
        for start, end in rows.values_list("start_date", "end_date"):
            start, end = max(start, first), min(end, last)
            paused.update(start + datetime.timedelta(days=i) for i in range((end - start).days + 1))
        self.first, self.last, self.paused = first, last, paused

    def __contains__(self, day):
        if not self.first <= day <= self.last:
            span = max((self.last - self.first).days, 60)
            self._read(
                min(self.first, _shifted(day, -span)),
                max(self.last, _shifted(day, span)),
            )
        return day in self.paused


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
    paused = _PausedDays(authority, start + ONE_DAY, end)
    return _open_weekdays_after(start, end) - len(_closed_by_pauses(paused.paused, start, end))


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
    # A first guess at the window: 5 working days a week, and a month for holidays.
    paused = _PausedDays(authority, start + ONE_DAY, _shifted(start, n * 7 // 5 + 31))
    day = start
    while n:
        day += ONE_DAY
        if _is_weekday_open(day) and day not in paused:
            n -= 1
    return day


def next_working_day(day, *, authority=None):
    """`day` itself if it is a working day, otherwise the first working day after it."""
    paused = _PausedDays(authority, day, _shifted(day, 31))
    while not (_is_weekday_open(day) and day not in paused):
        day += ONE_DAY
    return day


class WorkingDays:
    """The working-day calendar for every authority at once, from one read of the pauses.

    For a list of letters whose deadlines are counted row by row: the functions above
    read the pauses on each call, this reads them all once (the table holds a few rows a
    year) and then answers from memory. Its answers are those of the functions above;
    `authority` is a LocalAuthority's id or None (national pauses only).
    """

    def __init__(self):
        self._pauses = {}
        rows = PublicationPause.objects.order_by().values_list(
            "authority_id", "start_date", "end_date"
        )
        for authority, start, end in rows:
            self._pauses.setdefault(authority, []).append((start, end))

    def is_working_day(self, day, *, authority=None):
        if not _is_weekday_open(day):
            return False
        for key in {None, authority}:
            for start, end in self._pauses.get(key, ()):
                if start <= day <= end:
                    return False
        return True

    def between(self, start, end, *, authority=None):
        """As working_days_between: the working days after `start` up to and including `end`."""
        if end < start:
            return -self.between(end, start, authority=authority)
        paused = set()
        for key in {None, authority}:
            for first, last in self._pauses.get(key, ()):
                day, last = max(first, start + ONE_DAY), min(last, end)
                while day <= last:
                    paused.add(day)
                    day += ONE_DAY
        return _open_weekdays_after(start, end) - len(_closed_by_pauses(paused, start, end))

    def add(self, start, n, *, authority=None):
        """As add_working_days: the n-th working day after `start` (`start` for 0)."""
        if n < 0:
            raise ValueError(f"n must be 0 or more, not {n}")
        day = start
        while n:
            day += ONE_DAY
            n -= self.is_working_day(day, authority=authority)
        return day

    def next(self, day, *, authority=None):
        """As next_working_day: `day` if a working day, else the first working day after."""
        while not self.is_working_day(day, authority=authority):
            day += ONE_DAY
        return day

    def previous(self, day, *, authority=None):
        """The last working day before `day`."""
        day -= ONE_DAY
        while not self.is_working_day(day, authority=authority):
            day -= ONE_DAY
        return day
