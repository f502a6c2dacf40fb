"""A user's deadlines as an iCalendar feed (RFC 5545), for their calendar app.

One all-day event for each step not yet taken of each letter the user may see now
(letters.selectors.letters_in_flight): the team's letters for an inspector, every letter
in flight for a QA manager, and for a local authority's users their own letters' factual
accuracy deadline and publication date; and the due dates of each priority-action
follow-up the user may read whose action plan is not yet accepted
(letters.selectors.follow_ups_visible_to). Each event's UID stays the same from one fetch
to the next (the letter and the step), so a calendar app moves an event whose date
changes rather than adding another.
"""

import datetime

import icalendar
from django.urls import reverse

from inspections.calendar import WorkingDays
from letters import clock, deadlines, permissions, selectors
from letters.follow_up.models import FollowUp

PRODID = "-//Ofsted focused-visit letters//Deadlines//EN"
UID_DOMAIN = "focused-visit-letters"

SUMMARIES = {
    "submission": "Letter due for quality assurance",
    "qa_decision": "Quality assurance decision due",
    "fa_sent": "Send for factual accuracy check",
    "factual_accuracy": "Factual accuracy deadline",
    "sign_off": "Final letter sign-off due",
}


# The follow-up's due dates: its early draft's until a draft or the plan is in.
FOLLOW_UP_DUES = (
    ("early_draft", "early_draft_due", "Action plan early draft due"),
    ("action_plan", "action_plan_due", "Action plan due"),
)


def follow_up_events(user):
    """(follow-up, key, day, summary words) for each due date still to be met."""
    follow_ups = (
        selectors.follow_ups_visible_to(user=user)
        .exclude(state=FollowUp.State.ACCEPTED)
        .prefetch_related("uploads")
        .order_by("pk")
    )
    for follow_up in follow_ups:
        uploaded = {upload.kind for upload in follow_up.uploads.all()}
        for key, field, words in FOLLOW_UP_DUES:
            if key == "early_draft" and uploaded:
                continue
            yield follow_up, key, getattr(follow_up, field), words


def summary(step, authority):
    words = SUMMARIES.get(step.key, step.label)
    return f"{words}: {authority}"


def letter_url_name(user):
    """The page of a letter the user opens: their authority's, the review page, the visit."""
    if permissions.authority_of(user) is not None:
        return "letters:authority-letter"
    if permissions.is_qa_manager(user) or permissions.is_administrator(user):
        return "letters:review-letter"
    return "letters:visit-detail"


def feed_events(user, *, today=None):
    """(letter, step) for each step not yet taken of the letters in the user's feed."""
    keys = deadlines.AUTHORITY_STEPS if permissions.authority_of(user) is not None else None
    calendar = WorkingDays()
    today = today or clock.today()
    for letter in selectors.letters_in_flight(user=user).order_by("pk"):
        facts = deadlines.Facts.of(letter)
        for step in deadlines.letter_steps(facts, calendar=calendar, today=today):
            if step.is_deadline and not step.done and (keys is None or step.key in keys):
                yield letter, step


def calendar_feed(user, *, absolute_url, today=None):
    """The user's feed as iCalendar bytes; absolute_url(path) makes a page's full address."""
    feed = icalendar.Calendar()
    feed.add("prodid", PRODID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", "Focused-visit letter deadlines")
    url_name = letter_url_name(user)
    for letter, step in feed_events(user, today=today):
        authority = letter.visit.authority
        event = icalendar.Event()
        event.add("uid", f"letter-{letter.pk}-{step.key}@{UID_DOMAIN}")
        event.add("dtstamp", letter.updated_at)
        event.add("dtstart", step.day)
        event.add("dtend", step.day + datetime.timedelta(days=1))
        event.add("summary", summary(step, authority))
        event.add(
            "description",
            f"Focused visit to {authority}, {letter.visit.start_date:%-d %B %Y}. "
            f"{step.label}: {step.day:%A %-d %B %Y}. {step.who}.",
        )
        event.add("url", absolute_url(reverse(url_name, args=[letter.visit_id])))
        event.add("transp", "TRANSPARENT")
        feed.add_component(event)
    for follow_up, key, day, words in follow_up_events(user):
        letter = follow_up.letter
        authority = letter.visit.authority
        event = icalendar.Event()
        event.add("uid", f"follow-up-{follow_up.pk}-{key}@{UID_DOMAIN}")
        event.add("dtstamp", follow_up.opened_at)
        event.add("dtstart", day)
        event.add("dtend", day + datetime.timedelta(days=1))
        event.add("summary", f"{words}: {authority}")
        event.add(
            "description",
            f"The action plan for the areas for priority action of the focused visit to "
            f"{authority}, {letter.visit.start_date:%-d %B %Y}. {words}: {day:%A %-d %B %Y}.",
        )
        event.add("url", absolute_url(reverse("letters:follow-up", args=[letter.visit_id])))
        event.add("transp", "TRANSPARENT")
        feed.add_component(event)
    return feed.to_ical()
