"""The register's charts: what the published letters show over the years, as numbers for a
table and as bars for a hand-drawn SVG (templates/letters/register/charts.html).

Published letters only (the register's current entries). Each figure is one or two
aggregate queries, whatever the number of letters; the working days are counted in
memory with inspections.calendar.WorkingDays (one read of the pauses).
"""

import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Q

from inspections.calendar import WorkingDays
from inspections.models import FocusArea
from letters.register.models import RegisterEntry

Theme = RegisterEntry.themes.through

# The drawing's coordinates (the SVG scales to its box; the text stays readable at 375 px).
WIDTH = 400
BAR_SPACE = WIDTH  # the longest bar; each bar's value is written on the line above it
LABEL_HEIGHT = 22
TEXT_HEIGHT = 20
BAR_HEIGHT = 16
BAR_GAP = 8
GROUP_GAP = 14
# GOV.UK colours: blue and dark blue bars alternate within a group; text is black.
COLOURS = ("#1d70b8", "#003078")


def published_entries():
    """Every published letter, at its latest version."""
    return RegisterEntry.objects.filter(current=True)


@dataclass
class Bar:
    label: str  # what the bar's text says, after it: "2023: 4 visits"
    value: float
    y: int = 0
    width: float = 0
    colour: str = COLOURS[0]

    @property
    def text_y(self):
        return self.y + 15

    @property
    def bar_y(self):
        return self.y + TEXT_HEIGHT


@dataclass
class Group:
    label: str
    bars: list[Bar]
    y: int = 0

    @property
    def text_y(self):
        return self.y + 16


@dataclass
class Chart:
    """Bars in labelled groups, laid out for the SVG; `slug` makes the title's ids."""

    slug: str
    title: str
    description: str
    groups: list[Group] = field(default_factory=list)
    width: int = WIDTH
    height: int = 0

    def __post_init__(self):
        top = max((bar.value for group in self.groups for bar in group.bars), default=0)
        y = 0
        for group in self.groups:
            group.y = y
            y += LABEL_HEIGHT
            for index, bar in enumerate(group.bars):
                bar.y = y
                bar.width = round(BAR_SPACE * bar.value / top, 1) if top else 0
                bar.colour = COLOURS[index % len(COLOURS)]
                y += TEXT_HEIGHT + BAR_HEIGHT + BAR_GAP
            y += GROUP_GAP
        self.height = max(y, 1)

    @property
    def bar_height(self):
        return BAR_HEIGHT


def _plural(n, word):
    return f"{n:g} {word}" if n == 1 else f"{n:g} {word}s"


# -- Visits by theme and year ------------------------------------------------------------


@dataclass
class ThemesByYear:
    years: list[int]
    # (theme name, [count for each year]), the standard themes in order, those with a visit.
    rows: list[tuple[str, list[int]]]
    chart: Chart


def themes_by_year(entries=None):
    """How many published letters' visits looked at each standard theme, by the visit's year."""
    entries = published_entries() if entries is None else entries
    counts = {
        (row["registerentry__year"], row["focusarea_id"]): row["n"]
        for row in Theme.objects.filter(
            registerentry__in=entries.order_by().values("pk"), focusarea__is_standard=True
        )
        .order_by()
        .values("registerentry__year", "focusarea_id")
        .annotate(n=Count("pk"))
    }
    years = sorted({year for year, _ in counts})
    rows = []
    for theme in FocusArea.objects.filter(is_standard=True).order_by("position", "name"):
        numbers = [counts.get((year, theme.pk), 0) for year in years]
        if any(numbers):
            rows.append((theme.name, numbers))
    groups = [
        Group(
            name,
            [
                Bar(f"{year}: {_plural(n, 'visit')}", n)
                for year, n in zip(years, numbers, strict=True)
            ],
        )
        for name, numbers in rows
    ]
    chart = Chart(
        "themes",
        "Visits by theme and year",
        "For each theme, one bar a year: the number of published letters whose visit "
        "looked at the theme. The same numbers are in the table.",
        groups,
    )
    return ThemesByYear(years, rows, chart)


# -- Working days from the visit to the letter -------------------------------------------


def working_days(entry_rows, calendar=None):
    """The working days from each visit's last day on site to its letter's date.

    `entry_rows` are (authority_id, visit_start, visit_end, letter_date); a letter with no
    date gives None.
    """
    calendar = calendar or WorkingDays()
    days = []
    for authority, start, end, letter_date in entry_rows:
        if letter_date is None:
            days.append(None)
        else:
            days.append(calendar.between(end or start, letter_date, authority=authority))
    return days


@dataclass
class DaysByYear:
    # (year, letters counted, median, fewest, most)
    rows: list[tuple[int, int, float, int, int]]
    chart: Chart


def working_days_by_year(entries=None):
    """The median working days from the visit's last day to the letter's date, by year."""
    entries = published_entries() if entries is None else entries
    found = list(
        entries.filter(letter_date__isnull=False)
        .order_by("year")
        .values_list("year", "authority_id", "visit_start", "visit_end", "letter_date")
    )
    counted = working_days([row[1:] for row in found])
    by_year = {}
    for (year, *_), days in zip(found, counted, strict=True):
        by_year.setdefault(year, []).append(days)
    rows = [
        (year, len(days), statistics.median(days), min(days), max(days))
        for year, days in sorted(by_year.items())
    ]
    chart = Chart(
        "working-days",
        "Working days from the visit to the letter, by year",
        "One bar a year: the median number of working days from the last day of the "
        "visit to the date of the letter. The same numbers are in the table.",
        [
            Group(str(year), [Bar(_plural(median, "working day"), median)])
            for year, _, median, *_ in rows
        ],
    )
    return DaysByYear(rows, chart)


# -- The share of letters with priority actions ------------------------------------------


@dataclass
class PriorityShare:
    # (year, letters, letters with priority actions, percentage)
    rows: list[tuple[int, int, int, int]]
    chart: Chart


def priority_share(entries=None):
    """The share of published letters with areas for priority action, by the visit's year."""
    entries = published_entries() if entries is None else entries
    counted = (
        entries.order_by("year")
        .values("year")
        .annotate(total=Count("pk"), priority=Count("pk", filter=Q(has_priority_actions=True)))
    )
    rows = [
        (row["year"], row["total"], row["priority"], round(100 * row["priority"] / row["total"]))
        for row in counted
    ]
    groups = [
        Group(str(year), [Bar(f"{percent}% ({priority} of {total})", percent)])
        for year, total, priority, percent in rows
    ]
    chart = Chart(
        "priority",
        "Letters with areas for priority action, by year",
        "One bar a year: the percentage of published letters with areas for priority "
        "action. The same numbers are in the table.",
        groups,
    )
    # Bars measure against 100%, not the largest share.
    for group in chart.groups:
        for bar in group.bars:
            bar.width = round(BAR_SPACE * bar.value / 100, 1)
    return PriorityShare(rows, chart)


# -- An authority's own history ----------------------------------------------------------


@dataclass
class HistoryRow:
    letter_id: int
    visit_start: object
    letter_date: object
    working_days: int | None
    has_priority_actions: bool
    current: bool  # the letter whose page this is


@dataclass
class AuthorityHistory:
    authority: object
    rows: list[HistoryRow]
    chart: Chart


def authority_history(entry):
    """The authority's published letters, oldest visit first: the working days each took and
    whether it had areas for priority action (one query)."""
    found = list(
        published_entries()
        .filter(authority_id=entry.authority_id)
        .order_by("visit_start", "pk")
        .values_list(
            "letter_id",
            "authority_id",
            "visit_start",
            "visit_end",
            "letter_date",
            "has_priority_actions",
        )
    )
    counted = working_days([row[1:5] for row in found])
    rows = [
        HistoryRow(
            letter_id=letter_id,
            visit_start=start,
            letter_date=letter_date,
            working_days=days,
            has_priority_actions=priority,
            current=letter_id == entry.letter_id,
        )
        for (letter_id, _, start, _, letter_date, priority), days in zip(
            found, counted, strict=True
        )
    ]
    name = entry.authority.name
    groups = [
        Group(
            f"Visit of {row.visit_start:%-d %B %Y}",
            [
                Bar(
                    (
                        _plural(row.working_days, "working day")
                        if row.working_days is not None
                        else "Letter not dated"
                    )
                    + (", priority action" if row.has_priority_actions else ""),
                    row.working_days or 0,
                )
            ],
        )
        for row in rows
    ]
    chart = Chart(
        f"history-{entry.authority_id}",
        f"{name}'s letters: working days from the visit to the letter",
        f"One bar for each of {name}'s published letters, oldest visit first: the working "
        "days from the last day of the visit to the date of the letter, and whether it had "
        "areas for priority action. The same numbers are in the table.",
        groups,
    )
    return AuthorityHistory(entry.authority, rows, chart)
