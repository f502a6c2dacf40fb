"""What the public register reads: published letters only, each at its latest version.

The register reads its entries (letters.register.models.RegisterEntry), which exist only
for published versions, so no draft, factual-accuracy check or letter under embargo can
reach it by any filter or address.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    Value,
)
from django.http import Http404
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe

from audit.services import record_refusal
from inspections.models import FocusArea, LocalAuthority, Region
from letters.models import Letter
from letters.register.entries import SEARCH_CONFIG
from letters.register.models import RegisterEntry

Theme = RegisterEntry.themes.through
# What the highlighter marks a match with, before the text is escaped for the page.
START, STOP = "\x02", "\x03"
QUERY_LENGTH = 200


def register_entries():
    """Every published letter, at its latest version."""
    return RegisterEntry.objects.filter(current=True)


def standard_themes():
    """The themes the register filters by: the focus areas that are standard ILACS themes."""
    return FocusArea.objects.filter(is_standard=True).order_by("position", "name")


def with_themes(entries):
    """Entries with their standard themes prefetched, as `standard_themes` (in order)."""
    return entries.prefetch_related(
        Prefetch("themes", queryset=standard_themes(), to_attr="standard_themes")
    )


def searches_fully():
    """PostgreSQL's full-text search; elsewhere (SQLite), words matched anywhere."""
    return connection.vendor == "postgresql"


@dataclass
class Filters:
    """What a visitor asked the register for (from the GET form; nonsense is dropped)."""

    q: str = ""
    authority: int | None = None
    region: str = ""
    themes: list[int] = field(default_factory=list)
    year: int | None = None
    priority: bool = False

    @classmethod
    def from_query(cls, query):
        def number(value, digits=18):
            value = (value or "").strip()
            return int(value) if value.isdigit() and len(value) <= digits else None

        region = query.get("region", "")
        return cls(
            q=" ".join(query.get("q", "").split())[:QUERY_LENGTH],
            authority=number(query.get("authority")),
            region=region if region in Region.values else "",
            themes=sorted({n for n in map(number, query.getlist("theme")) if n is not None}),
            year=number(query.get("year"), digits=4),
            priority=query.get("priority") == "yes",
        )

    @property
    def any(self):
        return bool(
            self.q or self.authority or self.region or self.themes or self.year or self.priority
        )


def _words(q):
    return [word for word in re.split(r"\W+", q) if word]


def _search_query(q):
    return SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)


def matching(filters, *, skip=None):
    """The entries that match every filter but `skip` (a facet counts without its own)."""
    entries = register_entries()
    if filters.q:
        if searches_fully():
            entries = entries.filter(search=_search_query(filters.q))
        else:
            for word in _words(filters.q):
                entries = entries.filter(
                    Q(title__icontains=word)
                    | Q(authority_name__icontains=word)
                    | Q(text__icontains=word)
                )
    if filters.authority and skip != "authority":
        entries = entries.filter(authority_id=filters.authority)
    if filters.region and skip != "region":
        entries = entries.filter(authority__region=filters.region)
    if filters.themes and skip != "theme":
        entries = entries.filter(
            pk__in=Theme.objects.filter(focusarea_id__in=filters.themes).values("registerentry_id")
        )
    if filters.year and skip != "year":
        entries = entries.filter(year=filters.year)
    if filters.priority and skip != "priority":
        entries = entries.filter(has_priority_actions=True)
    return entries


def results(filters):
    """The matching letters for a page of results: the best match first when searching
    (PostgreSQL), otherwise the newest publication first. Without the letters' content."""
    entries = (
        with_themes(matching(filters))
        .select_related("authority")
        .defer("content", "text", "search")
    )
    if filters.q and searches_fully():
        rank = SearchRank(F("search"), _search_query(filters.q))
        return entries.annotate(rank=rank).order_by("-rank", "-published_at", "-pk")
    return entries.order_by("-published_at", "-pk")


def _marked(text):
    """Highlighted text, escaped, its matches in <mark>."""
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))


def _marked_by_words(text, words, *, around=None):
    """SQLite's highlighting: the words marked where they occur (a passage `around` the
    first match, if given)."""
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    if around is not None:
        first = pattern.search(text)
        if first is None:
            return ""
        start = max(0, first.start() - around)
        end = min(len(text), first.end() + around)
        text = ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")
    return _marked(pattern.sub(lambda m: f"{START}{m[0]}{STOP}", text))


def highlights(entries, q):
    """{entry pk: (title, passage)}, the search's words marked (safe HTML), for a page of
    results: the title in full, and a passage of the letter where it matches."""
    if not q or not entries:
        return {}
    pks = [entry.pk for entry in entries]
    if searches_fully():
        query = _search_query(q)
        marks = {"start_sel": START, "stop_sel": STOP, "config": SEARCH_CONFIG}
        rows = (
            RegisterEntry.objects.filter(pk__in=pks)
            .annotate(
                title_marked=SearchHeadline("title", query, highlight_all=True, **marks),
                passage=SearchHeadline(
                    "text",
                    query,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                    **marks,
                ),
            )
            .values_list("pk", "title_marked", "passage")
        )
        return {
            pk: (_marked(title), _marked(passage) if START in passage else "")
            for pk, title, passage in rows
        }
    words = _words(q)
    if not words:
        return {}
    rows = RegisterEntry.objects.filter(pk__in=pks).values_list("pk", "title", "text")
    return {
        pk: (_marked_by_words(title, words), _marked_by_words(text, words, around=120))
        for pk, title, text in rows
    }


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


def _facet_rows(filters):
    """[(facet, key, label, count)]: every filter's counts and the total, in one query.

    The search (the costly part: the tsquery match) runs once, in a common table
    expression of the few narrow columns the filters read; each facet is then a GROUP BY
    over that set with the other filters applied, and the total the set with all of them.
    """
    base = register_entries()
    if filters.q:
        base = matching(Filters(q=filters.q))
    if filters.themes:
        chosen = Exists(
            Theme.objects.filter(registerentry_id=OuterRef("pk"), focusarea_id__in=filters.themes)
        )
    else:
        chosen = Value(True)
    base = (
        base.annotate(
            m_authority=F("authority_id"),
            m_region=F("authority__region"),
            m_year=F("year"),
            m_priority=F("has_priority_actions"),
            m_chosen=ExpressionWrapper(chosen, output_field=BooleanField()),
        )
        .values_list("pk", "m_authority", "m_region", "m_year", "m_priority", "m_chosen")
        .order_by()
    )
    base_sql, base_params = base.query.sql_with_params()

    conditions = {
        "authority": ("m.authority_id = %s", [filters.authority]) if filters.authority else None,
        "region": ("m.region = %s", [filters.region]) if filters.region else None,
        "theme": ("m.chosen", []) if filters.themes else None,
        "year": ("m.year = %s", [filters.year]) if filters.year else None,
        "priority": ("m.priority", []) if filters.priority else None,
    }

    def where(skip=None, extra=None):
        parts, params = [], []
        for name, condition in conditions.items():
            if condition and name != skip:
                parts.append(condition[0])
                params += condition[1]
        if extra:
            parts.append(extra)
        return (" WHERE " + " AND ".join(parts)) if parts else "", params

    theme_table = connection.ops.quote_name(Theme._meta.db_table)
    branches = [
        ("'authority', m.authority_id, NULL", "m", "authority", None, "m.authority_id"),
        ("'region', NULL, m.region", "m", "region", None, "m.region"),
        ("'year', m.year, NULL", "m", "year", None, "m.year"),
        ("'priority', NULL, NULL", "m", "priority", "m.priority", None),
        ("'total', NULL, NULL", "m", "", None, None),
        (
            "'theme', t.focusarea_id, NULL",
            f"m JOIN {theme_table} t ON t.registerentry_id = m.id",
            "theme",
            None,
            "t.focusarea_id",
        ),
    ]
    selects, params = [], list(base_params)
    for columns, source, skip, extra, group in branches:
        condition, condition_params = where(skip or None, extra)
        grouped = f" GROUP BY {group}" if group else ""
        selects.append(f"SELECT {columns}, COUNT(*) FROM {source}{condition}{grouped}")
        params += condition_params
    sql = (
        "WITH m (id, authority_id, region, year, priority, chosen) AS ("
        + base_sql
        + ") "
        + " UNION ALL ".join(selects)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def facets(filters):
    """Each filter's options with how many letters each would give, the other filters
    applied (as GOV.UK's finders count), and `total`: how many match every filter."""
    counted = {"authority": {}, "region": {}, "year": {}, "theme": {}}
    priority = total = 0
    for facet, key, label, count in _facet_rows(filters):
        if facet == "priority":
            priority = count
        elif facet == "total":
            total = count
        elif facet == "region":
            if label:
                counted["region"][label] = count
        elif key is not None:
            counted[facet][int(key)] = count

    by_authority = counted["authority"]
    names = LocalAuthority.objects.filter(pk__in=by_authority).order_by("name")
    authorities = [
        Option(str(pk), name, by_authority[pk], False)
        for pk, name in names.values_list("pk", "name")
    ]
    _select(authorities, filters.authority)

    by_region = counted["region"]
    regions = [
        Option(value, label, by_region.get(value, 0), value == filters.region)
        for value, label in Region.choices
        if by_region.get(value) or value == filters.region
    ]

    by_theme = counted["theme"]
    themes = [
        Option(str(area.pk), area.name, by_theme.get(area.pk, 0), area.pk in filters.themes)
        for area in standard_themes()
    ]

    years = [
        Option(str(year), str(year), n, year == filters.year)
        for year, n in sorted(counted["year"].items(), reverse=True)
    ]
    _select(years, filters.year)
    return {
        "authorities": authorities,
        "authority_options": options_html(authorities),
        "regions": regions,
        "region_options": options_html(regions),
        "themes": themes,
        "years": years,
        "year_options": options_html(years),
        "priority": Option("yes", "Has areas for priority action", priority, filters.priority),
        "total": total,
    }


def options_html(options):
    """A select's <option>s with their counts (safe HTML): built here, not in a template
    loop, as the authorities are 150 of them."""
    return format_html_join(
        "",
        '<option value="{}"{}>{} ({})</option>',
        (
            (
                option.value,
                mark_safe(" selected") if option.selected else "",
                option.label,
                option.count,
            )
            for option in options
        ),
    )


def _select(options, chosen):
    """Mark the chosen option (one that matches nothing is not among them)."""
    if chosen is None:
        return
    for option in options:
        if option.value == str(chosen):
            option.selected = True
            return


def letter_entry(pk, *, user):
    """The register's entry for letter `pk`: 404 unless the letter is published, the same
    as for no such letter (a letter not yet published is a refusal, audited)."""
    entry = with_themes(register_entries().select_related("authority")).filter(letter_id=pk).first()
    if entry is None:
        if Letter.objects.filter(pk=pk).exists():
            record_refusal(by=user, key=f"register:{pk}", target=(Letter, pk), letter=pk)
        raise Http404("No such published letter")
    return entry


def authority_history(entry):
    """The authority's other published letters: (earlier, later), by the visit's date."""
    others = list(
        register_entries()
        .filter(authority_id=entry.authority_id)
        .exclude(pk=entry.pk)
        .defer("content", "text", "search")
        .order_by("visit_start", "pk")
    )
    here = (entry.visit_start, entry.pk)
    earlier = [other for other in others if (other.visit_start, other.pk) < here]
    later = [other for other in others if (other.visit_start, other.pk) > here]
    return earlier, later
