"""The GOV.UK pagination component (templates/includes/pagination.html), made once for each
address, query and page, and kept.

What the pagination shows depends on nothing but the page's address and query (its links
keep the query's other parameters), the page's number, the number of pages and the page
numbers shown. A list renders it on every request, its links each building a query
string; here each distinct one is rendered once a process and then reused, so long as
templates are not being edited (DEBUG off, as the cached template loader).
"""

from django import template
from django.conf import settings
from django.template.loader import render_to_string

register = template.Library()

# The most kept at once: then they are dropped and made again as asked for.
KEPT = 512
_made = {}


@register.simple_tag(takes_context=True)
def pagination(context, page, page_numbers):
    """includes/pagination.html for `page`, showing `page_numbers` (a Paginator's
    get_elided_page_range, a list)."""
    request = context["request"]
    if not page.has_other_pages():
        return ""
    numbers = tuple(page_numbers)
    paging = (page.number, page.paginator.num_pages, numbers)
    key = (request.path, request.META.get("QUERY_STRING", ""), *paging)
    html = _made.get(key)
    if html is None:
        html = render_to_string(
            "includes/pagination.html",
            {"page": page, "page_numbers": numbers},
            request=request,
        )
        if settings.DEBUG:
            return html
        if len(_made) >= KEPT:
            _made.clear()
        _made[key] = html
    return html
