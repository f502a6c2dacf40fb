"""The letter's history in words: "Hazel Penrose returned the letter to the team"."""

from string import Formatter

from inspections.access import name_of
from letters.models import Letter

# What each audited action says, after the name of who did it. {fields} are read from
# the event's detail; a field the event lacks reads as "".
SENTENCES = {
    "visit.create": "created the visit",
    "visit.change": "changed the visit: {changed}",
    "visit.focus_areas": "chose the focus areas",
    "visit.focus_area_add": "added the focus area ‘{focus_area}’",
    "visit.focus_area_change": "changed the focus area ‘{focus_area}’",
    "visit.focus_area_remove": "removed the focus area ‘{focus_area}’",
    "team.add": "added {inspector} to the team",
    "team.change": "changed the team",
    "team.remove": "removed {inspector} from the team",
    "letter.create": "entered the letter",
    "letter.change": "changed the letter: {changed}",
    "letter.import": "imported the letter from {source}",
    "section.add": "added the section ‘{heading}’",
    "section.change": "changed a section: {changed}",
    "section.delete": "deleted the section ‘{heading}’",
    "section.move": "moved a section",
    "item.add": "added an item",
    "item.change": "changed an item: {changed}",
    "item.delete": "deleted an item",
    "item.move": "moved an item",
    "letter.submit": "submitted the letter for quality assurance",
    "comment.add": "commented on the letter",
    "comment.resolve": "resolved a comment",
    "letter.return": "returned the letter to the team",
    "letter.approve": "approved the letter",
    "letter.publish": "published the letter as version {version}",
    "letter.publish_imported": "published the imported letter as version {version}",
    "letter.correct": "started a correction",
    "letter.follow_up_open": "opened the priority-action follow-up (plan due {action_plan_due})",
    "letter.follow_up_dfe_told": "recorded when the Department for Education was told",
    "letter.action_plan_upload": "uploaded a plan ({name})",
    "letter.action_plan_accept": "accepted a plan",
    "letter.action_plan_return": "returned a plan: {reason}",
    "letter.action_plan_download": "downloaded a plan",
    "letter.follow_up_reminder": "sent a reminder: {due} due {due_on}",
    "version.download": "downloaded version {version}",
    "version.read": "read version {version}",
    "access.refused": "was refused access",
    "notification.failed": "could not send the e-mail ‘{subject}’",
    "notification.sent": "sent the e-mail ‘{subject}’ again",
    "notification.no_address": "did not tell {name}, who has no e-mail address: ‘{subject}’",
}
STATUS = dict(Letter.Status.choices)


def who(event):
    """The person by name: their inspector's name, their own, or their username."""
    if event.actor is None:
        return event.actor_name or "The portal"
    return name_of(event.actor)


def sentence(event):
    template = SENTENCES.get(event.action, event.action)
    detail = dict(event.detail or {})
    changes = detail.get("changes") or {}
    detail["changed"] = ", ".join(name.replace("_", " ") for name in changes) or "no field"
    names = {name for _, name, _, _ in Formatter().parse(template) if name}
    return f"{who(event)} {template.format(**{name: detail.get(name, '') for name in names})}"


def history(events):
    """(when, sentence, the letter's status after it, in words) for each event."""
    return [
        {
            "at": event.at,
            "sentence": sentence(event),
            "status": STATUS.get(event.to_state, ""),
        }
        for event in events.select_related("actor__inspector")
    ]
