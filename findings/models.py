"""The letter's content as data: its paragraphs, sections and items."""

from django.db import models
from django_fsm import FSMField, FSMModelMixin

from findings import wording
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
    # based on an older revision is refused (findings.services.save_revision).
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-visit__start_date", "-id"]

    def __str__(self):
        return f"Letter: {self.visit}"


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
    heading_footnote = models.TextField(
        blank=True, help_text="Printed at the foot of the page. Web addresses become links."
    )
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
    footnote = models.TextField(
        blank=True, help_text="Printed at the foot of the page. Web addresses become links."
    )
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
