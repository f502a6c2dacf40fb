"""The public register: no sign-in. Only published letters, each at its latest version."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from letters.register import open_data, selectors
from letters.register.feeds import NewPublications

PER_PAGE = 20


@login_not_required
def register(request):
    """Search and filter the published letters (a GET form: works without JavaScript)."""
    filters = selectors.Filters.from_query(request.GET)
    facets = selectors.facets(filters)
    paginator = Paginator(selectors.results(filters), PER_PAGE)
    paginator.count = facets["total"]  # counted with the facets: not counted again
    page = paginator.get_page(request.GET.get("page"))
    entries = list(page.object_list)
    marked = selectors.highlights(entries, filters.q)
    for entry in entries:
        entry.title_marked, entry.passage = marked.get(entry.pk, (None, ""))
    return render(
        request,
        "letters/register/register.html",
        {
            "filters": filters,
            "facets": facets,
            "page": page,
            "entries": entries,
            "page_numbers": paginator.get_elided_page_range(page.number, on_each_side=1),
            "ranked": bool(filters.q) and selectors.searches_fully(),
        },
    )


@login_not_required
def letter(request, pk):
    """A published letter's page: its facts, themes, versions to read, and the authority's
    earlier and later letters."""
    entry = selectors.letter_entry(pk, user=request.user)
    earlier, later = selectors.authority_history(entry)
    return render(
        request,
        "letters/register/letter.html",
        {
            "entry": entry,
            "content": entry.content,
            "record": open_data.record(entry, request.build_absolute_uri),
            "earlier": earlier,
            "later": later,
        },
    )


@login_not_required
def letter_json(request, pk):
    """A published letter as open data."""
    entry = selectors.letter_entry(pk, user=request.user)
    body = open_data.json_dumps(open_data.record(entry, request.build_absolute_uri), indent=2)
    response = HttpResponse(body, content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _download(chunks, *, content_type, filename):
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_not_required
def register_csv(request):
    """The whole register as CSV, streamed."""
    return _download(
        open_data.csv_chunks(request.build_absolute_uri),
        content_type="text/csv; charset=utf-8",
        filename="focused-visit-letters.csv",
    )


@login_not_required
def register_json(request):
    """The whole register as JSON, streamed."""
    return _download(
        open_data.json_chunks(request.build_absolute_uri),
        content_type="application/json",
        filename="focused-visit-letters.json",
    )


@login_not_required
def about_open_data(request):
    """What the downloads hold: each CSV column and JSON field."""
    return render(
        request,
        "letters/register/open_data.html",
        {"columns": open_data.CSV_COLUMNS, "fields": open_data.JSON_FIELDS},
    )


feed = login_not_required(NewPublications())
