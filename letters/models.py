"""The letter's content as data: its paragraphs, sections and items."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin, transition

from audit.models import RecordImmutable, WrittenOnce
from govuk.validators import one_line
from inspections.models import Visit
from letters import limits
from letters import permissions as rules
from letters.rendering import wording
from letters.rendering.links import FOOTNOTE_HELP


class Letter(FSMModelMixin, models.Model):
    """The letter that reports one visit.

    Blank wording fields print Ofsted's standard wording (letters.rendering.wording). The evidence
    paragraph, the closing and the sign-off start with the standard wording and may be
    cleared, because some real letters have none.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In QA review"
        RETURNED = "returned", "Returned"
        APPROVED = "approved", "Approved"
        FACTUAL_ACCURACY = "factual_accuracy", "Factual accuracy check"
        FA_RESPONDED = "fa_responded", "Factual accuracy response received"
        FINAL = "final", "Final, awaiting publication"
        PUBLISHED = "published", "Published"

    # The states in which the letter's own local authority reads it before publication
    # (letters.permissions.can_read_as_authority): the draft it checks for factual
    # accuracy, the response it gave, and the final letter under embargo. Reading, not a
    # move: the states moves start from are declared on the transitions below.
    SHARED_WITH_AUTHORITY = (Status.FACTUAL_ACCURACY, Status.FA_RESPONDED, Status.FINAL)

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="letter")
    # Changed only by the transitions in letters.review.services, never by assignment.
    status = FSMField(max_length=20, choices=Status, default=Status.DRAFT, protected=True)
    title = models.CharField(
        max_length=300,
        blank=True,
        help_text="Leave blank for the standard title.",
        validators=[one_line],
    )
    introduction = models.TextField(
        max_length=limits.PARAGRAPHS,
        blank=True,
        help_text=(
            "Leave blank to write it from the visit's dates, team and QA manager. "
            "Separate paragraphs with a blank line."
        ),
    )
    scope_lead_in = models.TextField(
        "Focus areas lead-in",
        max_length=limits.PARAGRAPHS,
        blank=True,
        help_text="The sentence before the focus areas. Leave blank for the standard wording.",
    )
    list_focus_areas = models.BooleanField(
        default=True,
        help_text="Print the focus areas as a list. Untick when the lead-in names them.",
    )
    preamble = models.TextField(
        "Evidence and other paragraphs before the findings",
        max_length=limits.PARAGRAPHS,
        blank=True,
        default=wording.EVIDENCE_PARAGRAPH,
        help_text="Separate paragraphs with a blank line.",
    )
    closing = models.TextField(
        "Closing paragraphs",
        max_length=limits.PARAGRAPHS,
        blank=True,
        default=wording.CLOSING_PARAGRAPH,
        help_text="Separate paragraphs with a blank line.",
    )
    sign_off = models.CharField(
        max_length=100, blank=True, default=wording.SIGN_OFF, validators=[one_line]
    )
    signatory_note = models.CharField(
        max_length=100,
        blank=True,
        help_text="Printed after the name, e.g. '(Lead Inspector)'.",
        validators=[one_line],
    )
    signatory_title = models.CharField(
        max_length=100,
        blank=True,
        help_text="Leave blank for Her or His Majesty's Inspector, by the letter date.",
        validators=[one_line],
    )
    # The template the letter started from (letters.drafting.letter_shapes): blank for
    # letters made before templates, imported or entered in the admin without one.
    template = models.CharField(max_length=20, blank=True, editable=False)
    # Optimistic locking: each save carries the revision it was based on, and a save
    # based on an older revision is refused (letters.drafting.services.save_revision).
    revision = models.PositiveIntegerField(default=1, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # What quality assurance approved: the SHA-256 of the letter's printed content
    # (letters.rendering.fingerprint). Publication prints only that content.
    approved_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    # The factual-accuracy round (letters.factual_accuracy.services): the round's number
    # (a correction may have another), when the letter went to the authority, the last
    # day of its window, and when and by whom the authority responded (late if after it).
    fa_round = models.PositiveSmallIntegerField(default=0, editable=False)
    fa_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    fa_deadline = models.DateField(null=True, blank=True, editable=False)
    fa_responded_at = models.DateTimeField(null=True, blank=True, editable=False)
    fa_responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    fa_response_late = models.BooleanField(default=False, editable=False)
    # Sign-off: the final letter, and the working day it is published on.
    signed_off_at = models.DateTimeField(null=True, blank=True, editable=False)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    publication_date = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-visit__start_date", "-id"]

    def __str__(self):
        return f"Letter: {self.visit}"

    # The letter's life. Each transition says from which states it starts and who may
    # make it (letters.permissions reads them: the states are written here only); one
    # service in letters.review or letters.publication calls it, inside a transaction,
    # and writes the audit event.

    @transition(
        field=status,
        source=[Status.DRAFT, Status.RETURNED],
        target=Status.IN_REVIEW,
        permission=rules.is_drafter,
    )
    def submit(self):
        """The team sends the letter to quality assurance (and may edit it until then)."""
        self.submitted_at = timezone.now()

    @transition(
        field=status,
        source=Status.IN_REVIEW,
        target=Status.RETURNED,
        permission=rules.is_independent_reviewer,
    )
    def return_to_team(self):
        """The QA manager sends the letter back with comments."""

    @transition(
        field=status,
        source=Status.IN_REVIEW,
        target=Status.APPROVED,
        permission=rules.is_independent_reviewer,
    )
    def approve(self, *, fingerprint):
        """The QA manager accepts the letter as it stands: that content, and no other."""
        self.approved_fingerprint = fingerprint

    @transition(
        field=status,
        source=Status.APPROVED,
        target=Status.FACTUAL_ACCURACY,
        permission=rules.is_independent_reviewer,
    )
    def send_for_factual_accuracy(self, *, sent_at, deadline):
        """The QA manager sends the approved letter, as approved, to its local authority,
        whose users may comment on it until the deadline (and are marked late after)."""
        self.fa_round += 1
        self.fa_sent_at = sent_at
        self.fa_deadline = deadline
        self.fa_responded_at = None
        self.fa_responded_by = None
        self.fa_response_late = False

    @transition(
        field=status,
        source=Status.FACTUAL_ACCURACY,
        target=Status.FA_RESPONDED,
        permission=rules.is_of_letters_authority,
    )
    def respond_to_factual_accuracy(self, *, by, at, day):
        """A user of the letter's authority submits its comments (none is an answer too);
        after the deadline it is accepted all the same, and marked late."""
        self.fa_responded_at = at
        self.fa_responded_by = by
        self.fa_response_late = day > self.fa_deadline

    @transition(
        field=status,
        source=Status.FA_RESPONDED,
        target=Status.FA_RESPONDED,
        permission=rules.is_drafter,
    )
    def answer_factual_accuracy(self):
        """The team answers each of the authority's comments, and may change the letter
        meanwhile (letters.permissions.can_edit_letter): the state stays."""

    @transition(
        field=status,
        source=[Status.FA_RESPONDED, Status.FACTUAL_ACCURACY],
        target=Status.FINAL,
        conditions=[rules.factual_accuracy_closed],
        permission=rules.is_independent_reviewer,
    )
    def sign_off_final(self, *, by, at, fingerprint, publication_date):
        """The QA manager signs off the final letter, as it now stands, for publication on
        a working day; the authority reads it under embargo until then. Once the
        authority's window has closed with no response, the letter is signed off as sent:
        a letter is not held up by an authority that does not answer."""
        self.signed_off_by = by
        self.signed_off_at = at
        self.approved_fingerprint = fingerprint
        self.publication_date = publication_date

    @transition(
        field=status,
        source=[Status.APPROVED, Status.FINAL],
        target=Status.PUBLISHED,
        permission=rules.is_independent_reviewer,
        conditions=[rules.publication_day_has_come],
    )
    def publish(self):
        """The letter is frozen as a published version for the local authority: an approved
        letter at once (corrections, letters checked outside the portal), a final one on
        its publication date (letters.publication.schedule)."""

    @transition(
        field=status,
        source=Status.PUBLISHED,
        target=Status.DRAFT,
        permission=rules.may_correct,
    )
    def start_correction(self):
        """A correction: a new draft that, once published, supersedes the last version."""
        self.approved_fingerprint = ""

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.PUBLISHED,
        permission=rules.may_import,
    )
    def publish_imported(self):
        """A letter Ofsted published before the portal, brought in as published."""


class Section(models.Model):
    class Kind(models.TextChoices):
        OVERVIEW = "overview", "Overview or headline findings"
        STRENGTHS = "strengths", "Areas of strength"
        FINDINGS = "findings", "Findings or main findings"
        IMPROVEMENT = "improvement", "Areas for improvement"
        PRIORITY_ACTIONS = "priority", "Areas for priority action"
        OTHER = "other", "Other"

    DEFAULT_HEADINGS = {
        Kind.OVERVIEW: "Overview",
        Kind.STRENGTHS: "Areas of strength",
        Kind.FINDINGS: "Findings",
        Kind.IMPROVEMENT: "Areas for improvement",
        Kind.PRIORITY_ACTIONS: "Areas for priority action",
    }

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=Kind)
    heading = models.CharField(max_length=300, validators=[one_line])
    heading_footnote = models.TextField(max_length=limits.ITEM, blank=True, help_text=FOOTNOTE_HELP)
    lead_in = models.TextField(
        max_length=limits.ITEM, blank=True, help_text="A sentence before the items, if any."
    )
    none_statement = models.TextField(
        max_length=limits.ITEM,
        blank=True,
        help_text="When the section has no items, e.g. 'There are no areas for priority action'.",
    )
    page_break_before = models.BooleanField(
        "Start on a new page",
        default=False,
        help_text="In the PDF, as a page break before the heading in Word does.",
    )
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["letter", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["letter", "position"],
                name="section_position_unique_in_letter",
                violation_error_message="Two sections cannot share a position in a letter.",
            ),
        ]

    def __str__(self):
        return self.heading


class Item(models.Model):
    class Style(models.TextChoices):
        BULLET = "bullet", "Bullet"
        PARAGRAPH = "paragraph", "Paragraph"
        NUMBERED = "numbered", "Numbered paragraph"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    style = models.CharField(max_length=20, choices=Style, default=Style.BULLET)
    text = models.TextField(max_length=limits.ITEM)
    cross_reference = models.CharField(
        max_length=200,
        blank=True,
        help_text="For example '(enabler 2, national framework)'.",
        validators=[one_line],
    )
    footnote = models.TextField(max_length=limits.ITEM, blank=True, help_text=FOOTNOTE_HELP)
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["section", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "position"],
                name="item_position_unique_in_section",
                violation_error_message="Two items cannot share a position in a section.",
            ),
        ]

    def __str__(self):
        return self.text[:80]


class Submission(models.Model):
    """What the letter said each time it went to quality assurance, to show what changed."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveIntegerField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    snapshot = models.JSONField()

    class Meta:
        ordering = ["letter", "number"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "number"], name="submission_number_unique")
        ]

    def __str__(self):
        return f"Submission {self.number} of {self.letter}"


class Comment(models.Model):
    """A QA manager's comment on the letter as a whole or on one item."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="comments")
    item = models.ForeignKey(
        Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    # What the item said when the comment was made, so the comment still reads if it goes.
    item_text = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=limits.ITEM)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:80]


class FactualAccuracyComment(models.Model):
    """A local authority user's factual-accuracy comment on the letter as a whole or on one
    item, and the team's answer: accepted, with a change to the letter, or not, and why."""

    class Answer(models.TextChoices):
        ACCEPTED = "accepted", "Accepted, with a change to the letter"
        NOT_ACCEPTED = "not_accepted", "Not accepted"

    letter = models.ForeignKey(
        Letter, on_delete=models.CASCADE, related_name="factual_accuracy_comments"
    )
    round = models.PositiveSmallIntegerField(editable=False)
    item = models.ForeignKey(
        Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the item said when the comment was made, so the comment still reads if it goes.
    item_text = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=limits.ITEM)
    created_at = models.DateTimeField(default=timezone.now)
    answer = models.CharField(max_length=20, choices=Answer, blank=True)
    reason = models.TextField(max_length=limits.ITEM, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:80]


class PublishedVersionImmutable(RecordImmutable):
    pass


class PublishedVersion(WrittenOnce):
    """A published letter, frozen: its HTML, its PDF bytes and their SHA-256.

    Never edited or deleted; a correction is published as the next number and
    supersedes this one, which stays in the history.
    """

    immutable = PublishedVersionImmutable

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="versions")
    # The authority the letter was published to, frozen with it: it alone may read it.
    authority = models.ForeignKey(
        "inspections.LocalAuthority", on_delete=models.PROTECT, related_name="published_letters"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300, validators=[one_line])
    letter_date = models.DateField(null=True, blank=True)
    html = models.TextField()
    pdf = models.FileField(upload_to="published/", max_length=300)
    pdf_size = models.PositiveIntegerField()
    sha256 = models.CharField("SHA-256 of the PDF", max_length=64)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)
    imported = models.BooleanField(
        default=False, help_text="Brought in from a letter Ofsted published before the portal."
    )

    class Meta:
        ordering = ["-published_at", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "number"], name="version_number_unique")
        ]

    def __str__(self):
        return f"{self.title}, version {self.number}"


# The priority-action follow-up's models, in their own package (letters.follow_up).
from letters.follow_up.models import FollowUp, PlanUpload, Reminder  # noqa: E402, F401

# The public register's entries, in their own package (letters.register).
from letters.register.models import RegisterEntry  # noqa: E402, F401
