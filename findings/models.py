"""The letter's content as data: its paragraphs, sections and items."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin, transition

from findings import wording
from findings.links import FOOTNOTE_HELP
from inspections.models import Visit


class Letter(FSMModelMixin, models.Model):
    """The letter that reports one visit.

    Blank wording fields print Ofsted's standard wording (findings.wording). The evidence
    paragraph, the closing and the sign-off start with the standard wording and may be
    cleared, because some real letters have none.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In QA review"
        RETURNED = "returned", "Returned"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="letter")
    # Changed only by the transitions in findings.services, never by assignment.
    status = FSMField(max_length=20, choices=Status, default=Status.DRAFT, protected=True)
    title = models.CharField(
        max_length=300, blank=True, help_text="Leave blank for the standard title."
    )
    introduction = models.TextField(
        blank=True,
        help_text=(
            "Leave blank to write it from the visit's dates, team and QA manager. "
            "Separate paragraphs with a blank line."
        ),
    )
    scope_lead_in = models.TextField(
        "Focus areas lead-in",
        blank=True,
        help_text="The sentence before the focus areas. Leave blank for the standard wording.",
    )
    list_focus_areas = models.BooleanField(
        default=True,
        help_text="Print the focus areas as a list. Untick when the lead-in names them.",
    )
    preamble = models.TextField(
        "Evidence and other paragraphs before the findings",
        blank=True,
        default=wording.EVIDENCE_PARAGRAPH,
        help_text="Separate paragraphs with a blank line.",
    )
    closing = models.TextField(
        "Closing paragraphs",
        blank=True,
        default=wording.CLOSING_PARAGRAPH,
        help_text="Separate paragraphs with a blank line.",
    )
    sign_off = models.CharField(max_length=100, blank=True, default=wording.SIGN_OFF)
    signatory_note = models.CharField(
        max_length=100, blank=True, help_text="Printed after the name, e.g. '(Lead Inspector)'."
    )
    signatory_title = models.CharField(
        max_length=100,
        blank=True,
        help_text="Leave blank for Her or His Majesty's Inspector, by the letter date.",
    )
    # Optimistic locking: each save carries the revision it was based on, and a save
    # based on an older revision is refused (findings.editing.save_revision).
    revision = models.PositiveIntegerField(default=1, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-visit__start_date", "-id"]

    def __str__(self):
        return f"Letter: {self.visit}"

    # The letter's life. Each transition is called by one service in findings.services,
    # which checks who may make it and writes the audit event.

    @transition(field=status, source=[Status.DRAFT, Status.RETURNED], target=Status.IN_REVIEW)
    def submit(self):
        """The team sends the letter to quality assurance."""
        self.submitted_at = timezone.now()

    @transition(field=status, source=Status.IN_REVIEW, target=Status.RETURNED)
    def return_to_team(self):
        """The QA manager sends the letter back with comments."""

    @transition(field=status, source=Status.IN_REVIEW, target=Status.APPROVED)
    def approve(self):
        """The QA manager accepts the letter as it stands."""

    @transition(field=status, source=Status.APPROVED, target=Status.PUBLISHED)
    def publish(self):
        """The letter is frozen as a published version for the local authority."""

    @transition(field=status, source=Status.PUBLISHED, target=Status.DRAFT)
    def start_correction(self):
        """A correction: a new draft that, once published, supersedes the last version."""


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
    heading = models.CharField(max_length=300)
    heading_footnote = models.TextField(blank=True, help_text=FOOTNOTE_HELP)
    lead_in = models.TextField(blank=True, help_text="A sentence before the items, if any.")
    none_statement = models.TextField(
        blank=True,
        help_text="When the section has no items, e.g. 'There are no areas for priority action'.",
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
    text = models.TextField()
    cross_reference = models.CharField(
        max_length=200, blank=True, help_text="For example '(enabler 2, national framework)'."
    )
    footnote = models.TextField(blank=True, help_text=FOOTNOTE_HELP)
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
    text = models.TextField()
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


class PublishedVersionImmutable(Exception):
    pass


class AuditEventImmutable(Exception):
    pass


class WrittenOnce(models.Model):
    """A record that is created and never changed nor deleted (the database refuses too:
    migration 0003). `immutable` names the exception to raise."""

    immutable = Exception

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise self.immutable(f"A {self._meta.verbose_name} cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.immutable(f"A {self._meta.verbose_name} cannot be deleted")


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
    title = models.CharField(max_length=300)
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


class AuditEvent(WrittenOnce):
    """One thing that happened to a letter: append-only."""

    immutable = AuditEventImmutable

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=50, db_index=True)  # e.g. "letter.approve"
    letter = models.ForeignKey(
        Letter, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"
