"""The register as open data: each published letter as a record, and the whole register as
CSV or JSON, streamed a chunk at a time in constant memory. The views and the
export_letters command write the same rows from here."""

import csv
import io
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F
from django.urls import reverse

from inspections.models import Region
from letters.register.selectors import Theme, register_entries

CHUNK_ROWS = 500
REGIONS = dict(Region.choices)

# The CSV's columns, in order, and what each holds (the open-data page lists them).
CSV_COLUMNS = [
    ("letter_id", "The letter's number in the register (its page is /register/<letter_id>/)."),
    ("version", "The published version: 1, or more after a correction."),
    ("title", "The letter's title, as printed."),
    ("authority", "The local authority the letter is addressed to."),
    ("ons_code", "The authority's Office for National Statistics code, e.g. E06000046."),
    ("region", "The authority's region of England."),
    ("visit_kind", "focused, pilot or monitoring."),
    ("visit_start", "The first day of the visit (YYYY-MM-DD)."),
    ("visit_end", "The last day of the visit; blank for a one-day visit."),
    ("letter_date", "The date the letter bears; blank if undated."),
    ("published_at", "When this version was published (ISO 8601, UTC)."),
    ("lead_inspector", "The lead inspector, who signs the letter."),
    ("team", "Everyone on the inspection team, as 'Name (role)', separated by '; '."),
    ("themes", "The standard ILACS themes the visit looked at, separated by '; '."),
    ("has_priority_actions", "yes if the letter has areas for priority action, else no."),
    ("priority_actions", "The areas for priority action, separated by ' | '."),
    ("page_url", "The letter's page in the register."),
    ("json_url", "The letter as JSON, with its sections and items."),
    ("pdf_url", "The published PDF."),
    ("html_url", "The accessible HTML version."),
]

# The JSON record's fields (each letter's JSON, and each element of the whole register's).
JSON_FIELDS = [
    ("id, version, title", "As the CSV's letter_id, version and title."),
    ("authority", "name, ons_code, region (as in the CSV) and region_code."),
    ("visit", "kind, start_date, end_date."),
    ("letter_date, published_at", "As in the CSV."),
    ("team", "A list of name, role (lead, inspector or designate), role_name and grade."),
    ("qa_manager", "name and grade of the quality assurance manager, or null."),
    ("themes", "The standard ILACS themes, a list of names."),
    ("focus_areas", "Every focus area as the letter printed it: name and wording."),
    (
        "sections",
        "The letter's sections in order: kind, heading, lead_in (paragraphs), items (each "
        "with style, text, number, cross_reference and footnote) and none_statement.",
    ),
    ("has_priority_actions, priority_actions", "A boolean, and the list of their texts."),
    ("links", "page, json, pdf and html: the addresses in the CSV's *_url columns."),
]


def export_entries(*, for_csv=False, among=None):
    """Every current entry (or those of `among`), oldest publication first, read a chunk at
    a time; for the CSV, only the parts of the content its columns need (extracted by the
    database)."""
    entries = register_entries() if among is None else among
    entries = entries.select_related("authority").order_by("published_at", "pk")
    if for_csv:
        entries = entries.defer("content", "text", "search").annotate(
            team=F("content__team"),
            priority_actions=F("content__priority_actions"),
            visit_kind=F("content__visit_kind"),
        )
    else:
        entries = entries.defer("text", "search")
    return entries.iterator(chunk_size=CHUNK_ROWS)


def with_theme_names(chunk):
    """The entries of a chunk, each given its standard themes' names in one query."""
    names = {}
    themes = (
        Theme.objects.filter(registerentry_id__in=[entry.pk for entry in chunk])
        .filter(focusarea__is_standard=True)
        .order_by("focusarea__position", "focusarea__name")
        .values_list("registerentry_id", "focusarea__name")
    )
    for pk, name in themes:
        names.setdefault(pk, []).append(name)
    for entry in chunk:
        entry.theme_names = names.get(entry.pk, [])
    return chunk


class Links:
    """The addresses of a letter's page, JSON, PDF and HTML version. Reversed once, not
    once a row: absolute makes a path a full address (the request's, or the portal's)."""

    SENTINEL = 987654321987654321
    NAMES = {
        "page": ("letters:register-letter", "letter_id"),
        "json": ("letters:register-letter-json", "letter_id"),
        "pdf": ("letters:version-pdf", "version_id"),
        "html": ("letters:version-html", "version_id"),
    }

    def __init__(self, absolute):
        base = absolute("/")[:-1]  # an absolute address is its base, then the path
        self.patterns = {
            key: (base + reverse(name, args=[self.SENTINEL]), field)
            for key, (name, field) in self.NAMES.items()
        }

    def __call__(self, entry):
        sentinel = str(self.SENTINEL)
        return {
            key: pattern.replace(sentinel, str(getattr(entry, field)))
            for key, (pattern, field) in self.patterns.items()
        }


def theme_names(entry):
    if hasattr(entry, "theme_names"):
        return entry.theme_names
    themes = getattr(entry, "standard_themes", None)
    if themes is None:
        themes = [area for area in entry.themes.all() if area.is_standard]
    return [area.name for area in themes]


def record(entry, absolute):
    """One published letter as open data. absolute: makes a path a full address (or
    Links, made once for many letters)."""
    links = absolute if isinstance(absolute, Links) else Links(absolute)
    content = entry.content
    authority = entry.authority
    return {
        "id": entry.letter_id,
        "version": entry.number,
        "title": entry.title,
        "authority": {
            "name": authority.name,
            "ons_code": authority.ons_code,
            "region": REGIONS.get(authority.region, ""),
            "region_code": authority.region,
        },
        "visit": {
            "kind": content["visit_kind"],
            "start_date": entry.visit_start,
            "end_date": entry.visit_end,
        },
        "letter_date": entry.letter_date,
        "published_at": entry.published_at,
        "team": content["team"],
        "qa_manager": content["qa_manager"],
        "themes": theme_names(entry),
        "focus_areas": content["focus_areas"],
        "sections": content["sections"],
        "has_priority_actions": entry.has_priority_actions,
        "priority_actions": content["priority_actions"],
        "links": links(entry),
    }


def csv_row(entry, links):
    """An entry (from export_entries(for_csv=True)) as the CSV's row, in CSV_COLUMNS' order."""
    team = entry.team
    lead = next((m["name"] for m in team if m["role"] == "lead"), "")
    authority = entry.authority
    return [
        entry.letter_id,
        entry.number,
        entry.title,
        authority.name,
        authority.ons_code,
        REGIONS.get(authority.region, ""),
        entry.visit_kind,
        entry.visit_start.isoformat(),
        entry.visit_end.isoformat() if entry.visit_end else "",
        entry.letter_date.isoformat() if entry.letter_date else "",
        entry.published_at.isoformat(),
        lead,
        "; ".join(f"{m['name']} ({m['role_name']})" for m in team),
        "; ".join(theme_names(entry)),
        "yes" if entry.has_priority_actions else "no",
        " | ".join(entry.priority_actions),
        *links(entry).values(),
    ]


def _chunks(entries):
    size = CHUNK_ROWS
    chunk = []
    for entry in entries:
        chunk.append(entry)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def csv_chunks(absolute, entries=None):
    """The whole register as CSV text, the header first, a chunk of rows at a time."""
    links = Links(absolute)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([name for name, _ in CSV_COLUMNS])
    for chunk in _chunks(export_entries(for_csv=True) if entries is None else entries):
        writer.writerows(csv_row(entry, links) for entry in with_theme_names(chunk))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def json_dumps(value, **options):
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, **options)


def json_chunks(absolute, entries=None):
    """The whole register as one JSON array of records, a chunk of records at a time."""
    absolute = Links(absolute)
    yield "[\n"
    first = True
    for chunk in _chunks(export_entries() if entries is None else entries):
        text = ",\n".join(json_dumps(record(entry, absolute)) for entry in with_theme_names(chunk))
        yield text if first else ",\n" + text
        first = False
    yield "\n]\n"
