"""Every write path writes exactly one audit event, with the expected action.

The paths are those ARCHITECTURE.md lists under "The one road": each service, called as
the portal's pages, the admin and the commands call it.
"""

import pytest

from accounts import feeds
from audit.models import AuditEvent
from inspections import services as visits
from inspections.models import FocusArea, TeamMember, VisitFocusArea
from letters.drafting import services as drafting
from letters.drafting.paste import split_pasted
from letters.follow_up import services as follow_up
from letters.importing import into_visit
from letters.importing.parse import parse_letter_text
from letters.models import Item, Section
from letters.publication import services as publication
from letters.review import services as review
from tests.factories import (
    FocusAreaFactory,
    InspectorFactory,
    LocalAuthorityFactory,
    UserFactory,
    force_status,
    inspector_user,
    letter_led_by,
    qa_manager_user,
)
from tests.letters.follow_up.conftest import add_priority_actions, authority_user, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    lead = inspector_user()
    qa = qa_manager_user()
    letter = letter_led_by(lead)
    letter.visit.qa_manager = qa.inspector
    letter.visit.save()
    return {"lead": lead, "qa": qa, "letter": letter, "visit": letter.visit}


def item_of(w):
    return Item.objects.filter(section__letter=w["letter"]).first()


def section_of(w):
    return Section.objects.filter(letter=w["letter"]).first()


def in_review(w):
    review.letter_submit(letter=w["letter"], by=w["lead"])


def approved(w):
    in_review(w)
    review.letter_approve(letter=w["letter"], by=w["qa"])


def published(w):
    approved(w)
    publication.letter_publish(letter=w["letter"], by=w["qa"])


def with_priority_actions(w):
    """Published (without printing) with a priority action, its authority's user at hand."""
    add_priority_actions(w["letter"])
    w["letter"] = force_status(w["letter"], "published")
    w["la"] = authority_user("la-a", w["visit"].authority)


def followed_up(w):
    with_priority_actions(w)
    w["follow_up"] = follow_up.follow_up_open(letter=w["letter"], by=w["qa"])


def plan_uploaded(w):
    followed_up(w)
    w["plan"] = follow_up.plan_upload(
        follow_up=w["follow_up"], by=w["la"], kind="action_plan", name="plan.pdf", data=pdf_bytes()
    )


PATHS = {
    "visit.create": (
        None,
        lambda w: drafting.visit_create(
            by=w["lead"],
            authority=LocalAuthorityFactory(),
            start_date=w["visit"].start_date,
            focus_areas=[FocusAreaFactory()],
        ),
    ),
    "visit.change": (
        None,
        lambda w: visits.visit_update(
            visit=w["visit"], by=w["lead"], based_on=1, values={"salutation": "Dear Jo"}
        ),
    ),
    "visit.focus_areas": (
        None,
        lambda w: visits.visit_set_focus_areas(
            visit=w["visit"], by=w["lead"], focus_areas=[FocusAreaFactory()], based_on=1
        ),
    ),
    "visit.focus_area_add": (
        None,
        lambda w: visits.focus_area_save(
            entry=VisitFocusArea(visit=w["visit"], focus_area=FocusAreaFactory(), position=9),
            by=w["lead"],
        ),
    ),
    "visit.focus_area_own": (
        None,
        lambda w: visits.focus_area_add_own(
            visit=w["visit"], by=w["lead"], wording="The support for young carers."
        ),
    ),
    "visit.focus_area_move": (
        lambda w: VisitFocusArea.objects.create(
            visit=w["visit"], focus_area=FocusAreaFactory(), position=9
        ),
        lambda w: visits.focus_area_move(
            entry=w["visit"].visit_focus_areas.order_by("position").first(), by=w["lead"], offset=1
        ),
    ),
    "letter.template": (
        lambda w: Item.objects.filter(section__letter=w["letter"]).delete(),
        lambda w: drafting.letter_use_template(
            letter=w["letter"], by=w["lead"], based_on=w["letter"].revision, template="2018"
        ),
    ),
    "team.add": (
        None,
        lambda w: visits.team_member_add(
            visit=w["visit"], by=w["lead"], inspector=InspectorFactory(), role="inspector"
        ),
    ),
    "team.change": (
        None,
        lambda w: visits.team_member_update(
            member=w["visit"].team.exclude(role="lead").first(),
            by=w["lead"],
            values={"role": TeamMember.Role.HMI_DESIGNATE},
        ),
    ),
    "team.remove": (
        None,
        lambda w: visits.team_member_remove(
            member=w["visit"].team.exclude(role="lead").first(), by=w["lead"]
        ),
    ),
    "team.lead": (
        None,
        lambda w: visits.team_lead_hand_over(
            member=w["visit"].team.exclude(role="lead").first(), by=w["lead"]
        ),
    ),
    "letter.change": (
        None,
        lambda w: drafting.letter_update(
            letter=w["letter"], by=w["lead"], based_on=1, values={"closing": "Thank you."}
        ),
    ),
    "section.add": (
        None,
        lambda w: drafting.section_add(
            letter=w["letter"], by=w["lead"], kind="other", heading="Also"
        ),
    ),
    "section.change": (
        None,
        lambda w: drafting.section_update(
            section=section_of(w), by=w["lead"], based_on=1, values={"heading": "Summary"}
        ),
    ),
    "section.delete": (
        None,
        lambda w: drafting.section_delete(section=section_of(w), by=w["lead"], based_on=1),
    ),
    "section.move": (
        None,
        lambda w: drafting.move(section_of(w), by=w["lead"], offset=1),
    ),
    "section.paste": (
        None,
        lambda w: drafting.section_paste(
            letter=w["letter"],
            by=w["lead"],
            items=split_pasted("- One.\n- Two."),
            section=section_of(w),
            based_on=1,
        ),
    ),
    "letter.import_text": (
        None,
        lambda w: into_visit.letter_replace_from_import(
            letter=w["letter"],
            by=w["lead"],
            parsed=parse_letter_text(
                "## Focused visit to Fernshire children's services\n\nOn 1 May 2025, Her "
                "Majesty's Inspectors (HMI) Robin Ashdown and Jo Newby undertook the visit."
                "\n\n## Headline findings\n\n- One.\n- Two.\n",
                lenient=True,
            ),
            based_on=w["letter"].revision,
        ),
    ),
    "item.add": (
        None,
        lambda w: drafting.item_add(section=section_of(w), by=w["lead"], text="More."),
    ),
    "item.change": (
        None,
        lambda w: drafting.item_update(
            item=item_of(w), by=w["lead"], based_on=1, values={"text": "Changed."}
        ),
    ),
    "item.delete": (
        None,
        lambda w: drafting.item_delete(item=item_of(w), by=w["lead"], based_on=1),
    ),
    "letter.submit": (None, in_review),
    "comment.add": (
        in_review,
        lambda w: review.comment_add(letter=w["letter"], by=w["qa"], text="Say more."),
    ),
    "letter.approve": (
        in_review,
        lambda w: review.letter_approve(letter=w["letter"], by=w["qa"]),
    ),
    "letter.publish": (
        approved,
        lambda w: publication.letter_publish(letter=w["letter"], by=w["qa"]),
    ),
    "letter.follow_up_open": (
        with_priority_actions,
        lambda w: follow_up.follow_up_open(letter=w["letter"], by=w["qa"]),
    ),
    "letter.follow_up_dfe_told": (
        followed_up,
        lambda w: follow_up.follow_up_record_dfe_date(
            follow_up=w["follow_up"],
            by=w["lead"],
            dfe_told_on=w["follow_up"].dfe_told_on,
            based_on=1,
        ),
    ),
    "letter.action_plan_upload": (
        followed_up,
        lambda w: follow_up.plan_upload(
            follow_up=w["follow_up"], by=w["la"], kind="early_draft", name="a.pdf", data=pdf_bytes()
        ),
    ),
    "letter.action_plan_accept": (
        plan_uploaded,
        lambda w: follow_up.plan_decide(upload=w["plan"], by=w["qa"], accept=True),
    ),
    "letter.action_plan_return": (
        plan_uploaded,
        lambda w: follow_up.plan_decide(
            upload=w["plan"], by=w["lead"], accept=False, reason="Add dates."
        ),
    ),
    "letter.action_plan_download": (
        plan_uploaded,
        lambda w: follow_up.plan_downloaded(upload=w["plan"], by=w["qa"]),
    ),
    "letter.follow_up_reminder": (
        followed_up,
        lambda w: follow_up.send_reminders(today=w["follow_up"].early_draft_due),
    ),
    "letter.correct": (
        published,
        lambda w: publication.letter_start_correction(letter=w["letter"], by=w["lead"]),
    ),
    "feed.new_address": (
        None,
        lambda w: feeds.feed_token_renew(user=w["lead"], by=w["lead"]),
    ),
    "feed.revoke": (
        lambda w: feeds.feed_token_renew(user=w["lead"], by=w["lead"]),
        lambda w: feeds.feed_token_revoke(user=w["lead"], by=w["lead"]),
    ),
    "focusarea.create": (
        None,
        lambda w: visits.reference_save(
            instance=FocusArea(name="Young carers", wording="Young carers."),
            by=UserFactory(is_superuser=True),
        ),
    ),
    "localauthority.load": (
        None,
        lambda w: visits.authorities_load(by=UserFactory(is_superuser=True)),
    ),
    "inspector.merge": (
        None,
        lambda w: visits.inspector_merge(
            source=InspectorFactory(),
            into=w["visit"].team.get(role="lead").inspector,
            by=UserFactory(is_superuser=True),
        ),
    ),
}


@pytest.mark.parametrize("action", list(PATHS))
def test_each_write_path_writes_one_event(world, action):
    """The write is audited once, under its own action, naming who made it."""
    setup, write = PATHS[action]
    if setup is not None:
        setup(world)
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    write(world)
    written = list(AuditEvent.objects.filter(pk__gt=last).values_list("action", flat=True))
    assert written == [action]


def test_returning_with_a_comment_writes_the_comment_and_the_return(world):
    """Returning with a comment is two writes, each audited once."""
    in_review(world)
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    review.letter_return(letter=world["letter"], by=world["qa"], comment="Please say more.")
    written = list(AuditEvent.objects.filter(pk__gt=last).values_list("action", flat=True))
    assert written == ["comment.add", "letter.return"]


def test_publishing_with_priority_actions_writes_the_publication_and_the_follow_up(world):
    """Publishing a letter with priority actions is two writes, each audited once."""
    approved(world)
    add_priority_actions(world["letter"])
    world["letter"] = force_status(world["letter"], "approved")  # approved with its action
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    publication.letter_publish(letter=world["letter"], by=world["qa"])
    written = list(AuditEvent.objects.filter(pk__gt=last).values_list("action", flat=True))
    assert written == ["letter.publish", "letter.follow_up_open"]
