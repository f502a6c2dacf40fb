"""Deadlines everyone can see: the QA managers' letters in flight, the calendar feed's page
in the account area, and the feed itself (letters.deadlines, letters.feed)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from accounts import feeds
from letters import deadlines, permissions, selectors
from letters.feed import calendar_feed

# ?sort= on the letters in flight: (the header it sorts by, ascending?, the order).
SORTS = {
    "deadline": ("deadline", True, lambda letters: deadlines.by_deadline(letters)),
    "deadline-latest": (
        "deadline",
        False,
        lambda letters: deadlines.by_deadline(letters, latest_first=True),
    ),
    "authority": (
        "authority",
        True,
        lambda letters: sorted(letters, key=lambda x: (x.visit.authority.name.lower(), x.pk)),
    ),
    "visit": (
        "visit",
        False,
        lambda letters: sorted(letters, key=lambda x: (x.visit.start_date, x.pk), reverse=True),
    ),
}
DEFAULT_SORT = "deadline"


def letters_in_flight(request):
    """Every letter not yet published, with its next deadline: soonest first unless
    ?sort= says otherwise (links in the headers, so it sorts without JavaScript)."""
    if not permissions.is_qa_manager(request.user):
        raise PermissionDenied("Only QA managers see every letter in flight")
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    column, ascending, order = SORTS[sort]
    letters = deadlines.with_next_deadlines(selectors.letters_in_flight(user=request.user))
    return render(
        request,
        "letters/deadlines/in_flight.html",
        {
            "letters": order(letters),
            "sort": sort,
            "sorted_by": column,
            "aria_sort": "ascending" if ascending else "descending",
            # The deadline header's link turns the order round when it is the one in use.
            "deadline_link": "deadline-latest" if sort == "deadline" else "deadline",
        },
    )


def calendar_feed_page(request):
    """The user's calendar feed: its address, shown once when made; a new address revokes
    the old one; stopping the feed revokes it without a new one."""
    user = request.user
    is_authority = permissions.authority_of(user) is not None
    context = {"made_at": feeds.feed_made_at(user), "is_authority": is_authority}
    if request.method == "POST":
        if request.POST.get("action") == "stop":
            if feeds.feed_token_revoke(user=user, by=user):
                messages.success(
                    request, "Your calendar feed is stopped. Its address no longer works."
                )
            return redirect("letters:calendar-feed")
        token = feeds.feed_token_renew(user=user, by=user)
        context = {
            "made_at": feeds.feed_made_at(user),
            "is_authority": is_authority,
            "replaced": context["made_at"] is not None,
            "feed_url": request.build_absolute_uri(reverse("letters:deadline-feed", args=[token])),
        }
    return render(request, "letters/deadlines/calendar_feed.html", context)


@login_not_required
@require_safe
def deadline_feed(request, token):
    """A user's deadlines as iCalendar, for a calendar app, which cannot sign in: the
    address's token says whose. An unknown or revoked token answers 404."""
    user = feeds.feed_user(token)
    if user is None:
        raise Http404("No such calendar feed")
    body = calendar_feed(user, absolute_url=request.build_absolute_uri)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="deadlines.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
