"""The permission matrix: every URL of the portal, for every role, against a letter in
every state, with every action, compared with the access policy declared below.

The policy is data a reviewer can read: POLICY maps each URL name to a Rule, which
says which methods are tried and answers the status code the policy expects for
(role, state, method). The product is never consulted to build the expectations.
"""

import datetime
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts import feeds, roles
from inspections import calendar
from inspections.models import AuthorityUser, TeamMember
from jobs.models import Job
from letters import clock
from letters.follow_up import services as follow_up
from letters.models import (
    Comment,
    FactualAccuracyComment,
    FollowUp,
    Item,
    Letter,
    Submission,
)
from letters.publication import services as publication
from letters.review.diff import snapshot
from tests.factories import (
    LocalAuthorityFactory,
    TeamMemberFactory,
    UserFactory,
    force_status,
    inspector_user,
    letter_led_by,
    qa_manager_user,
)
from tests.letters.follow_up.conftest import pdf_bytes

pytestmark = pytest.mark.django_db

# The roles.
ANONYMOUS = "anonymous"
LEAD = "inspector"  # the lead inspector, who created the visit
MEMBER = "team member"  # another inspector on the visit's team
QA = "QA manager"  # independent: not on the team, did not write the letter
AUTHORITY_A = "authority A user"  # a user of the letter's local authority
AUTHORITY_B = "authority B user"  # a user of another local authority
ADMIN = "administrator"  # a superuser with no inspector record
ROLES = (ANONYMOUS, LEAD, MEMBER, QA, AUTHORITY_A, AUTHORITY_B, ADMIN)

TEAM = {LEAD, MEMBER}
AUTHORITIES = {AUTHORITY_A, AUTHORITY_B}

# The letter's states.
DRAFT, IN_REVIEW, RETURNED, APPROVED, PUBLISHED = (
    Letter.Status.DRAFT,
    Letter.Status.IN_REVIEW,
    Letter.Status.RETURNED,
    Letter.Status.APPROVED,
    Letter.Status.PUBLISHED,
)
FACTUAL_ACCURACY, FA_RESPONDED, FINAL = (
    Letter.Status.FACTUAL_ACCURACY,
    Letter.Status.FA_RESPONDED,
    Letter.Status.FINAL,
)
STATES = (DRAFT, IN_REVIEW, RETURNED, APPROVED, FACTUAL_ACCURACY, FA_RESPONDED, FINAL, PUBLISHED)
SUBMITTABLE = {DRAFT, RETURNED}
# The team drafts while the letter may be submitted, and while it answers the authority's
# factual-accuracy comments.
EDITABLE = SUBMITTABLE | {FA_RESPONDED}
# The states in which the letter's own authority reads it before publication.
SHARED_WITH_AUTHORITY = {FACTUAL_ACCURACY, FA_RESPONDED, FINAL}

MISSING_VERSION = 999_999


@dataclass(frozen=True)
class Redirect:
    """A 302 whose Location starts with `to`."""

    to: str

    def __str__(self):
        return f"302 to {self.to}"


SIGN_IN = Redirect("/sign-in/")
ADMIN_SIGN_IN = Redirect("/admin/login/")


@dataclass(frozen=True)
class Rule:
    """What the policy expects of one URL.

    expect(role, state, method) gives the status for a signed-in role; an anonymous
    visitor gets `anonymous` (by default: sent to the sign-in page), or, on a public
    page, what expect says for ANONYMOUS. A rule that is not per_letter is tried once
    per role (its URL names no letter), with state None.
    """

    methods: tuple[str, ...]
    expect: Callable[[str, str | None, str], int | Redirect]
    per_letter: bool = True
    anonymous: int | Redirect = SIGN_IN
    # A public page (no sign-in): expect answers for the anonymous visitor too.
    public: bool = False
    # What is posted: a dict, or a function of the letter's objects (the targets of one
    # state, below) for a per-letter rule.
    data: dict | Callable = field(default_factory=dict)

    def data_for(self, target):
        return self.data(target) if callable(self.data) else self.data

    def __call__(self, role, state, method):
        if role == ANONYMOUS and not self.public:
            return self.anonymous
        return self.expect(role, state, method)


# The policy, one function per kind of page. Each answers for a signed-in role.


def everyone(code):
    return lambda role, state, method: code


def inspectors_only(role, state, method):
    return 200 if role in TEAM else 403


def reads_draft(role, state, method):
    """A draft is never shown to an authority: asking answers as for no such letter."""
    return 404 if role in AUTHORITIES else 200


def changes_draft(role, state, method):
    if role in AUTHORITIES:
        return 404
    if role in TEAM and state in EDITABLE:
        return 200 if method == "GET" else 302
    return 403


def changes_draft_no_redirect(role, state, method):
    """A page that changes a draft, whose POST in the matrix's world is refused on the page
    itself (200); a POST by anyone else who may read the draft shows the typed text, not
    saved (409)."""
    if role in AUTHORITIES:
        return 404
    if role in TEAM and state in EDITABLE:
        return 200
    return 409 if method == "POST" else 403


def submit(role, state, method):
    if role in AUTHORITIES:
        return 404
    return 302 if role in TEAM and state in SUBMITTABLE else 403


def correct(role, state, method):
    if role in AUTHORITIES:
        return 404
    if role in TEAM | {QA} and state == PUBLISHED:
        return 200 if method == "GET" else 302
    return 403


def qa_and_admin_read(role, state, method):
    if role in AUTHORITIES:
        return 404
    return 200 if role in {QA, ADMIN} else 403


def resolve_comment(role, state, method):
    if role in AUTHORITIES:
        return 404
    return 302 if role in TEAM else 403


def review_queue(role, state, method):
    return 200 if role == QA else 403


def review_action(role, state, method):
    if role in AUTHORITIES:
        return 404
    return 302 if role == QA and state == IN_REVIEW else 403


def publish(role, state, method):
    if role in AUTHORITIES:
        return 404
    if role == QA and state == APPROVED:
        return 200 if method == "GET" else 302
    return 403


def send_for_factual_accuracy(role, state, method):
    if role in AUTHORITIES:
        return 404
    if role == QA and state == APPROVED:
        return 200 if method == "GET" else 302
    return 403


def answer_factual_accuracy(role, state, method):
    if role in AUTHORITIES:
        return 404
    if role in TEAM and state == FA_RESPONDED:
        return 200 if method == "GET" else 302
    return 403


def sign_off(role, state, method):
    if role in AUTHORITIES:
        return 404
    if role == QA and state == FA_RESPONDED:
        return 200 if method == "GET" else 302
    return 403


def publication_date():
    """A date the sign-off form accepts: a week of working days ahead."""
    day = calendar.add_working_days(clock.today(), 5)
    return {
        "publication_date_0": day.day,
        "publication_date_1": day.month,
        "publication_date_2": day.year,
    }


def authority_reads(role, state, method):
    """Exactly its own letter, from the factual-accuracy check until publication; to
    everyone else, and in every other state, the letter does not exist."""
    return 200 if role == AUTHORITY_A and state in SHARED_WITH_AUTHORITY else 404


def authority_comments(role, state, method):
    """Its own authority comments and responds until it has responded; after that it still
    reads the letter, and may not act."""
    if role != AUTHORITY_A or state not in SHARED_WITH_AUTHORITY:
        return 404
    if state == FACTUAL_ACCURACY:
        return 200 if method == "GET" else 302
    return 403


def read_version(role, state, method):
    """A published version is everyone's, signed in or not, another authority's users
    included: Ofsted publishes it. Only the published letter has a version; the others ask
    for one that does not exist."""
    return 200 if state == PUBLISHED else 404


def published_only(role, state, method):
    """The public register's letter pages: everyone's once published; before that (a
    draft, the factual-accuracy check, a final letter under embargo), not found."""
    return 200 if state == PUBLISHED else 404


def reads_follow_up(role, state, method):
    """Only the published letter here has a priority-action follow-up: the team, QA
    managers, administrators and the letter's own authority read it; to anyone else, and
    for every other letter, it does not exist."""
    if state != PUBLISHED or role == AUTHORITY_B:
        return 404
    return 200


def uploads_plan(role, state, method):
    """The letter's own authority uploads its plans; the others who read it may not."""
    if state != PUBLISHED or role == AUTHORITY_B:
        return 404
    if role == AUTHORITY_A:
        return 200 if method == "GET" else 302
    return 403


def manages_follow_up(role, state, method):
    """The team or a QA manager records the DfE's date and decides on a plan."""
    if state != PUBLISHED or role == AUTHORITY_B:
        return 404
    if role in TEAM | {QA}:
        return 200 if method == "GET" else 302
    return 403


def plan_file():
    return {"kind": "early_draft", "document": SimpleUploadedFile("plan.pdf", pdf_bytes())}


def dfe_told_today():
    day = clock.today()
    return {
        "dfe_told_on_0": day.day,
        "dfe_told_on_1": day.month,
        "dfe_told_on_2": day.year,
        "revision": 1,
    }


def own_job(role, state, method):
    """A job's page is its requester's (here the QA manager's); to anyone else it does
    not exist."""
    return 200 if role == QA else 404


def admin_site(role, state, method):
    return 200 if role == ADMIN else ADMIN_SIGN_IN


GET, POST = ("GET",), ("POST",)
MOVE = {"direction": "up"}

POLICY = {
    # Signing in and out; the starting page.
    "accounts:login": Rule(GET, everyone(302), per_letter=False, anonymous=200),
    "accounts:logout": Rule(POST, everyone(302), per_letter=False),
    "letters:home": Rule(GET, everyone(302), per_letter=False),
    # The second factor: anyone signed in may set up an authenticator app; asking for
    # a code without one sends them to set it up.
    "accounts:two-factor": Rule(GET, everyone(302), per_letter=False),
    "accounts:two-factor-setup": Rule(GET, everyone(200), per_letter=False),
    # The inspector's visits.
    "letters:visit-list": Rule(GET, inspectors_only, per_letter=False),
    "letters:visit-create": Rule(GET, inspectors_only, per_letter=False),
    # Pages that read a letter's draft.
    "letters:visit-detail": Rule(GET, reads_draft),
    "letters:letter-editor": Rule(GET, reads_draft),
    "letters:letter-preview": Rule(GET, reads_draft),
    "letters:letter-draft-pdf": Rule(GET, reads_draft),
    "letters:letter-checks": Rule(GET, reads_draft),
    # Pages that change a draft.
    "letters:visit-edit": Rule(GET, changes_draft),
    "letters:visit-recipient": Rule(GET, changes_draft),
    "letters:visit-team": Rule(GET, changes_draft),
    "letters:visit-team-remove": Rule(("GET", "POST"), changes_draft),
    "letters:visit-team-lead": Rule(GET, changes_draft),
    "letters:visit-focus-areas": Rule(GET, changes_draft),
    "letters:letter-opening": Rule(GET, changes_draft),
    "letters:letter-closing": Rule(GET, changes_draft),
    "letters:letter-import": Rule(GET, changes_draft),
    # The world's letters have items: the page says it keeps its sections (200), and a
    # switch is refused with the same page; others as any page that changes a draft.
    "letters:letter-template": Rule(("GET", "POST"), changes_draft_no_redirect),
    "letters:section-add": Rule(GET, changes_draft),
    "letters:section-paste-new": Rule(GET, changes_draft),
    "letters:section-edit": Rule(GET, changes_draft),
    "letters:section-delete": Rule(GET, changes_draft),
    "letters:section-move": Rule(POST, changes_draft, data=MOVE),
    "letters:section-paste": Rule(GET, changes_draft),
    "letters:item-add": Rule(GET, changes_draft),
    "letters:item-edit": Rule(GET, changes_draft),
    "letters:item-delete": Rule(GET, changes_draft),
    "letters:item-move": Rule(POST, changes_draft, data=MOVE),
    # The letter's life.
    "letters:letter-submit": Rule(POST, submit),
    "letters:letter-correct": Rule(("GET", "POST"), correct),
    "letters:letter-timeline": Rule(GET, qa_and_admin_read),
    "letters:comment-resolve": Rule(POST, resolve_comment),
    # Quality assurance.
    "letters:review-queue": Rule(GET, review_queue, per_letter=False),
    "letters:letters-in-flight": Rule(GET, review_queue, per_letter=False),
    "letters:review-letter": Rule(GET, qa_and_admin_read),
    "letters:review-comment": Rule(POST, review_action, data={"item": "", "text": "A comment"}),
    "letters:review-return": Rule(POST, review_action, data={"return-text": "Please fix"}),
    # The world's letter has an open comment: the QA manager approves by confirming (without
    # confirm=1 the same POST shows the confirmation page, 200; tests/letters/review).
    "letters:review-approve": Rule(POST, review_action, data={"confirm": "1"}),
    "letters:review-publish": Rule(("GET", "POST"), publish),
    # The factual-accuracy check, sign-off and the final letter (a final letter's
    # publication date is in the future here, so nobody may publish it yet).
    "letters:factual-accuracy-send": Rule(("GET", "POST"), send_for_factual_accuracy),
    "letters:factual-accuracy-comments": Rule(GET, reads_draft),
    "letters:factual-accuracy-answer": Rule(
        ("GET", "POST"),
        answer_factual_accuracy,
        data={"answer": "not_accepted", "reason": "The letter is right."},
    ),
    "letters:sign-off": Rule(("GET", "POST"), sign_off, data=lambda t: publication_date()),
    "letters:authority-letter": Rule(GET, authority_reads),
    "letters:authority-letter-pdf": Rule(GET, authority_reads),
    "letters:authority-letter-html": Rule(GET, authority_reads),
    "letters:authority-comment": Rule(
        ("GET", "POST"), authority_comments, data={"text": "The date is wrong."}
    ),
    "letters:authority-respond": Rule(("GET", "POST"), authority_comments),
    # The priority-action follow-up of a published letter.
    "letters:follow-up": Rule(GET, reads_follow_up),
    "letters:follow-up-download": Rule(GET, reads_follow_up),
    "letters:follow-up-upload": Rule(("GET", "POST"), uploads_plan, data=lambda t: plan_file()),
    "letters:follow-up-dfe": Rule(
        ("GET", "POST"), manages_follow_up, data=lambda t: dfe_told_today()
    ),
    "letters:follow-up-decide": Rule(
        ("GET", "POST"), manages_follow_up, data={"decision": "accept"}
    ),
    # Published letters.
    "letters:authority-letters": Rule(GET, everyone(200), per_letter=False),
    "letters:version-html": Rule(GET, read_version, public=True),
    "letters:version-pdf": Rule(GET, read_version, public=True),
    # The public register and its open data: no sign-in, published letters only.
    "letters:register": Rule(GET, everyone(200), per_letter=False, anonymous=200),
    "letters:register-letter": Rule(GET, published_only, public=True),
    "letters:register-letter-json": Rule(GET, published_only, public=True),
    "letters:register-csv": Rule(GET, everyone(200), per_letter=False, anonymous=200),
    "letters:register-json": Rule(GET, everyone(200), per_letter=False, anonymous=200),
    "letters:register-feed": Rule(GET, everyone(200), per_letter=False, anonymous=200),
    "letters:register-open-data": Rule(GET, everyone(200), per_letter=False, anonymous=200),
    "letters:register-charts": Rule(GET, everyone(200), per_letter=False, anonymous=200),
    # Deadlines in a calendar app: anyone signed in makes their own feed's address (a
    # POST shows the new one). The feed itself needs no sign-in: its token (here the QA
    # manager's) is the key, whoever asks; a bad token: test_a_bad_feed_token_is_not_found.
    "letters:calendar-feed": Rule(("GET", "POST"), everyone(200), per_letter=False),
    "letters:deadline-feed": Rule(GET, everyone(200), anonymous=200),
    # Staying signed in (the timeout warning), and how long the session has left.
    "accounts:keep-alive": Rule(POST, everyone(302), per_letter=False),
    "accounts:session": Rule(GET, everyone(200), per_letter=False),
    # Text typed in a form, kept until it is saved; anyone may drop their own. Nobody may
    # keep text for a letter they cannot change: here, one that does not exist (who may
    # keep what, letter by letter: tests/autosave/test_endpoint.py).
    "autosave:save": Rule(
        POST,
        everyone(400),
        per_letter=False,
        data={"_autosave_key": f"/visits/{MISSING_VERSION}/letter/opening/", "title": "Typed"},
    ),
    "autosave:discard": Rule(
        POST, everyone(204), per_letter=False, data={"_autosave_key": "/visits/1/letter/opening/"}
    ),
    # The page that follows background work (printing for publication).
    "jobs:status": Rule(GET, own_job),
    # The load balancer's probes: open to all, signed in or not.
    "healthz": Rule(GET, everyone(200), per_letter=False, anonymous=200),
    "readyz": Rule(GET, everyone(200), per_letter=False, anonymous=200),
    # The whole admin namespace: its index stands for every admin page.
    # The admin sends everyone not signed in as staff to its own sign-in address, which
    # forwards to the portal's one sign-in form (tests/test_admin.py checks that hop).
    "admin:index": Rule(GET, admin_site, per_letter=False, anonymous=ADMIN_SIGN_IN),
}
ADMIN_NAMESPACE_RULE = "admin:index"

# Where each URL points, given one state's letter and the objects around it.
ARGS = {
    "letters:visit-detail": lambda t: [t.visit],
    "letters:visit-edit": lambda t: [t.visit],
    "letters:visit-recipient": lambda t: [t.visit],
    "letters:visit-team": lambda t: [t.visit],
    "letters:visit-team-remove": lambda t: [t.visit, t.member],
    "letters:visit-team-lead": lambda t: [t.visit],
    "letters:visit-focus-areas": lambda t: [t.visit],
    "letters:letter-editor": lambda t: [t.visit],
    "letters:letter-opening": lambda t: [t.visit],
    "letters:letter-closing": lambda t: [t.visit],
    "letters:letter-import": lambda t: [t.visit],
    "letters:letter-template": lambda t: [t.visit],
    "letters:letter-preview": lambda t: [t.visit],
    "letters:letter-draft-pdf": lambda t: [t.visit],
    "letters:letter-checks": lambda t: [t.visit],
    "letters:section-add": lambda t: [t.visit],
    "letters:section-paste-new": lambda t: [t.visit],
    "letters:section-edit": lambda t: [t.visit, t.section],
    "letters:section-delete": lambda t: [t.visit, t.section],
    "letters:section-move": lambda t: [t.visit, t.last_section],
    "letters:section-paste": lambda t: [t.visit, t.section],
    "letters:item-add": lambda t: [t.visit, t.section],
    "letters:item-edit": lambda t: [t.visit, t.item],
    "letters:item-delete": lambda t: [t.visit, t.item],
    "letters:item-move": lambda t: [t.visit, t.item],
    "letters:letter-submit": lambda t: [t.visit],
    "letters:letter-correct": lambda t: [t.visit],
    "letters:letter-timeline": lambda t: [t.visit],
    "letters:comment-resolve": lambda t: [t.visit, t.comment],
    "letters:review-letter": lambda t: [t.visit],
    "letters:review-comment": lambda t: [t.visit],
    "letters:review-return": lambda t: [t.visit],
    "letters:review-approve": lambda t: [t.visit],
    "letters:review-publish": lambda t: [t.visit],
    "letters:factual-accuracy-send": lambda t: [t.visit],
    "letters:factual-accuracy-comments": lambda t: [t.visit],
    "letters:factual-accuracy-answer": lambda t: [t.visit, t.fa_comment],
    "letters:sign-off": lambda t: [t.visit],
    "letters:authority-letter": lambda t: [t.visit],
    "letters:authority-letter-pdf": lambda t: [t.visit],
    "letters:authority-letter-html": lambda t: [t.visit],
    "letters:authority-comment": lambda t: [t.visit],
    "letters:authority-respond": lambda t: [t.visit],
    "letters:follow-up": lambda t: [t.visit],
    "letters:follow-up-download": lambda t: [t.visit, t.plan],
    "letters:follow-up-upload": lambda t: [t.visit],
    "letters:follow-up-dfe": lambda t: [t.visit],
    "letters:follow-up-decide": lambda t: [t.visit, t.plan],
    "letters:version-html": lambda t: [t.version],
    "letters:version-pdf": lambda t: [t.version],
    "letters:register-letter": lambda t: [t.letter],
    "letters:register-letter-json": lambda t: [t.letter],
    "letters:deadline-feed": lambda t: [t.feed_token],
    "jobs:status": lambda t: [t.job],
}


def named_url_patterns(patterns=None, namespace=""):
    """Every named URL pattern of the portal, as reverse() names it."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= named_url_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_policy_covers_every_url_name():
    """A new URL must be added to the policy; a removed one must leave it."""
    names = named_url_patterns()
    covered = set()
    if ADMIN_NAMESPACE_RULE in POLICY:
        covered = {name for name in names if name.startswith("admin:")}
    missing = sorted(names - covered - set(POLICY))
    stale = sorted(set(POLICY) - names)
    unplaced = sorted(n for n, rule in POLICY.items() if rule.per_letter and n not in ARGS)
    assert not missing, f"URL names missing from the permission policy: {missing}"
    assert not stale, f"The permission policy names URLs that do not exist: {stale}"
    assert not unplaced, f"Per-letter rules with no ARGS to build their URL: {unplaced}"


# The world the matrix runs in: the users, signed in once, and one letter per state.


def authority_user(username, authority):
    user = UserFactory(username=username)
    roles.grant(user, roles.AUTHORITY_USER)
    AuthorityUser.objects.create(user=user, authority=authority)
    return user


def build_world():
    authority_a = LocalAuthorityFactory(name="Fernshire A")
    authority_b = LocalAuthorityFactory(name="Fernshire B")
    lead = inspector_user(username="lead", full_name="Robin Ashdown")
    member = inspector_user(username="member", full_name="Sam Whitlow")
    qa = qa_manager_user(username="qa", full_name="Hazel Penrose")
    users = {
        LEAD: lead,
        MEMBER: member,
        QA: qa,
        AUTHORITY_A: authority_user("la-a", authority_a),
        AUTHORITY_B: authority_user("la-b", authority_b),
        ADMIN: UserFactory(username="root", is_staff=True, is_superuser=True),
    }

    feed_token = feeds.feed_token_renew(user=qa, by=qa)
    targets = {}
    for state in STATES:
        letter = letter_led_by(lead, authority=authority_a, created_by=lead)
        visit = letter.visit
        place = TeamMemberFactory(
            visit=visit, inspector=member.inspector, role=TeamMember.Role.INSPECTOR, position=5
        )
        sections = list(letter.sections.order_by("position"))
        item = Item.objects.filter(section=sections[0]).order_by("position").first()
        if state != DRAFT:
            Submission.objects.create(
                letter=letter, number=1, submitted_by=lead, snapshot=snapshot(letter)
            )
        # In draft the letter has no review comment yet; one is made to resolve all the same.
        comment = Comment.objects.create(
            letter=letter, item=item, item_text=item.text, author=qa, text="Say how many."
        )
        # From the factual-accuracy check on: its round, deadline and one comment of the
        # authority's; once final, a publication date a month ahead (not yet due).
        fields = {}
        if state in SHARED_WITH_AUTHORITY:
            fields = {"fa_round": 1, "fa_deadline": clock.today() + datetime.timedelta(days=7)}
        if state == FINAL:
            fields["publication_date"] = calendar.add_working_days(clock.today(), 20)
        if state in {FA_RESPONDED, FINAL}:
            fields["fa_responded_at"] = datetime.datetime.now(datetime.UTC)
        force_status(letter, state, **fields)
        fa_comment = FactualAccuracyComment.objects.create(
            letter=letter,
            round=fields.get("fa_round", 0),
            author=users[AUTHORITY_A],
            text="The visit was in March.",
            # Answered once the authority has responded, so the letter may be signed off.
            answer="accepted" if state in {FA_RESPONDED, FINAL} else "",
        )
        version = plan = MISSING_VERSION
        if state == PUBLISHED:
            letter = Letter.objects.get(pk=letter.pk)
            version = publication.store_version(
                letter, by=qa, html="<p>x</p>", pdf=b"%PDF-1.7 test", stored=[]
            ).pk
            # Published with priority actions: its follow-up, with an action plan awaiting
            # a decision.
            opened = FollowUp.objects.create(
                letter=letter,
                dfe_told_on=clock.today(),
                early_draft_due=calendar.add_working_days(clock.today(), 20),
                action_plan_due=calendar.add_working_days(clock.today(), 70),
            )
            plan = follow_up.plan_upload(
                follow_up=opened,
                by=users[AUTHORITY_A],
                kind="action_plan",
                name="plan.pdf",
                data=pdf_bytes(),
            ).pk
        targets[state] = SimpleNamespace(
            visit=visit.pk,
            letter=letter.pk,
            member=place.pk,
            section=sections[0].pk,
            last_section=sections[-1].pk,
            item=item.pk,
            comment=comment.pk,
            fa_comment=fa_comment.pk,
            version=version,
            plan=plan,
            job=Job.objects.create(key=f"matrix:{state}", label="Publishing", requested_by=qa).pk,
            feed_token=feed_token,
        )

    sessions = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    sessions[ANONYMOUS] = None
    return sessions, targets


def send(session, method, url, data):
    """One request in a fresh client, rolled back so the next one sees the same world."""
    client = Client()
    if session is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, data)
        transaction.set_rollback(True)
    return response


def agrees(expected, response):
    location = response.get("Location", "")
    if isinstance(expected, Redirect):
        return response.status_code == 302 and location.startswith(expected.to)
    if expected == 302:
        # A plain 302 must not be the sign-in page bouncing someone who is not signed in.
        return response.status_code == 302 and not location.startswith(
            reverse(settings.LOGIN_URL) + "?"
        )
    return response.status_code == expected


def described(response):
    if response.status_code in (301, 302, 303, 307, 308):
        return f"{response.status_code} to {response['Location']}"
    return str(response.status_code)


@pytest.fixture
def quiet_request_log():
    """Hundreds of deliberate 403s and 404s: keep their warnings out of the output."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def test_every_role_state_and_action_agrees_with_the_policy(quiet_request_log):
    started = time.monotonic()
    sessions, targets = build_world()
    tried = 0
    disagreements = []
    for name, rule in POLICY.items():
        if rule.per_letter:
            places = [(s, reverse(name, args=ARGS[name](targets[s]))) for s in STATES]
        else:
            places = [(None, reverse(name))]
        for state, url in places:
            for method in rule.methods:
                for role in ROLES:
                    expected = rule(role, state, method)
                    tried += 1
                    try:
                        data = rule.data_for(targets.get(state))
                        response = send(sessions[role], method, url, data)
                    except Exception as error:  # a 500: the test client re-raises it
                        got = f"exception {type(error).__name__}: {error}"
                    else:
                        if agrees(expected, response):
                            continue
                        got = described(response)
                    disagreements.append((role, state or "-", method, name, str(expected), got))
    seconds = time.monotonic() - started
    print(
        f"\npermission matrix: {tried} combinations, {len(disagreements)} disagree ({seconds:.1f}s)"
    )
    report = "\n".join(
        f"  {role} | {state} | {method} | {name} | expected {expected} | got {got}"
        for role, state, method, name, expected, got in disagreements
    )
    assert not disagreements, (
        f"{len(disagreements)} of {tried} combinations disagree with the policy "
        f"(role | state | method | url name | expected | got):\n{report}"
    )


def test_a_bad_feed_token_is_not_found(quiet_request_log):
    """The calendar feed with a token nobody holds: 404 to every role and to anonymous."""
    sessions, _ = build_world()
    url = reverse("letters:deadline-feed", args=["not-a-token-anyone-holds"])
    answers = {role: send(sessions[role], "GET", url, {}).status_code for role in ROLES}
    assert answers == dict.fromkeys(ROLES, 404)
