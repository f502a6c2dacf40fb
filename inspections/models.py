"""The visit and its reference data: authorities, offices, inspectors, focus areas,
publication pauses."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from govuk.validators import one_line


def lines(text):
    """The non-blank lines of a multi-line field, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class Region(models.TextChoices):
    """The nine regions of England."""

    NORTH_EAST = "north-east", "North East"
    NORTH_WEST = "north-west", "North West"
    YORKSHIRE = "yorkshire-and-the-humber", "Yorkshire and The Humber"
    EAST_MIDLANDS = "east-midlands", "East Midlands"
    WEST_MIDLANDS = "west-midlands", "West Midlands"
    EAST = "east-of-england", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south-east", "South East"
    SOUTH_WEST = "south-west", "South West"


class LocalAuthority(models.Model):
    name = models.CharField(
        max_length=200,
        unique=True,
        help_text="As the letter names it, e.g. 'Isle of Wight' or 'Slough Borough Council'.",
        validators=[one_line],
    )
    urn = models.CharField(
        "Ofsted URN",
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        help_text="Ofsted's unique reference number for the authority.",
        validators=[one_line],
    )
    organisation = models.CharField(
        max_length=200,
        blank=True,
        help_text="The council, as addressed, if not the name.",
        validators=[one_line],
    )
    director_honorific = models.CharField(max_length=20, blank=True, validators=[one_line])
    director_name = models.CharField(
        "Director's name", max_length=200, blank=True, validators=[one_line]
    )
    director_job_title = models.CharField(
        max_length=200,
        blank=True,
        default="Director of Children's Services",
        validators=[one_line],
    )
    address = models.TextField(
        "Correspondence address",
        max_length=2000,
        blank=True,
        help_text="One line per address line.",
    )
    postcode = models.CharField(max_length=10, blank=True, validators=[one_line])
    ons_code = models.CharField(
        "ONS code",
        max_length=9,
        blank=True,
        help_text="The Office for National Statistics' code, e.g. 'E06000001'.",
        validators=[one_line],
    )
    region = models.CharField(max_length=30, blank=True, choices=Region)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"
        constraints = [
            models.UniqueConstraint(
                fields=["ons_code"],
                condition=~Q(ons_code=""),
                name="authority_ons_code_unique",
                violation_error_message="Another authority has this ONS code.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def address_lines(self):
        return lines(self.address)


class AuthorityUser(models.Model):
    """A user account of a local authority: it sees that authority's published letters."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="authority_membership"
    )
    authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="users")

    class Meta:
        ordering = ["authority__name", "user__username"]
        verbose_name = "local authority user"

    def __str__(self):
        return f"{self.user} ({self.authority})"


class Office(models.Model):
    """An Ofsted office whose address and contact details head a letter."""

    name = models.CharField(
        max_length=100, unique=True, help_text="For example 'Manchester'.", validators=[one_line]
    )
    address = models.TextField(
        max_length=2000, help_text="One line per address line, postcode last."
    )
    telephone = models.CharField(max_length=40, default="0300 123 1231", validators=[one_line])
    textphone = models.CharField(max_length=40, blank=True, validators=[one_line])
    email = models.EmailField(default="enquiries@ofsted.gov.uk")
    web_address = models.CharField(
        max_length=100, default="www.gov.uk/ofsted", validators=[one_line]
    )
    logo = models.ImageField(upload_to="office-logos/", blank=True)
    logo_alt_text = models.CharField(max_length=200, default="Ofsted", validators=[one_line])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def address_lines(self):
        return lines(self.address)


class Inspector(models.Model):
    class Grade(models.TextChoices):
        HMI = "HMI", "HMI"
        SENIOR_HMI = "Senior HMI", "Senior HMI"
        HMI_DESIGNATE = "HMI designate", "HMI designate"
        OFSTED_INSPECTOR = "Ofsted Inspector", "Ofsted Inspector"
        REGIONAL_DIRECTOR = "Regional Director", "Regional Director"

    full_name = models.CharField(max_length=200, validators=[one_line])
    grade = models.CharField(max_length=30, choices=Grade, default=Grade.HMI)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspector",
    )

    class Meta:
        ordering = ["full_name"]

    def __str__(self):
        return f"{self.full_name}, {self.grade}"


class FocusArea(models.Model):
    """One entry in the catalogue of what a focused visit can look at."""

    name = models.CharField(
        max_length=200, unique=True, help_text="A short label.", validators=[one_line]
    )
    wording = models.TextField(
        max_length=2000, help_text="As the letter prints it in the list of focus areas."
    )
    is_active = models.BooleanField(
        default=True, help_text="Offered for new visits. Old visits keep theirs."
    )
    is_standard = models.BooleanField(
        "Standard ILACS theme",
        default=False,
        help_text="Offered first, among the standard themes of a focused visit.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Where a standard theme comes in the list of themes."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Visit(models.Model):
    class Kind(models.TextChoices):
        FOCUSED = "focused", "Focused visit"
        PILOT = "pilot", "Pilot focused visit"
        MONITORING = "monitoring", "Monitoring visit"

    authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="visits")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.FOCUSED)
    start_date = models.DateField("First day of the visit")
    end_date = models.DateField(
        "Last day of the visit", null=True, blank=True, help_text="Leave blank for a one-day visit."
    )
    letter_date = models.DateField(null=True, blank=True)
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        help_text="The letterhead.",
    )
    qa_manager = models.ForeignKey(
        Inspector,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits_quality_assured",
        verbose_name="QA manager",
    )
    focus_areas = models.ManyToManyField(
        FocusArea, through="VisitFocusArea", related_name="visits", blank=True
    )

    recipient_honorific = models.CharField(
        max_length=20, blank=True, help_text="Mr, Ms, Dr...", validators=[one_line]
    )
    recipient_name = models.CharField(max_length=200, blank=True, validators=[one_line])
    recipient_job_title = models.TextField(
        max_length=2000, blank=True, help_text="One or two lines."
    )
    recipient_organisation = models.CharField(max_length=200, blank=True, validators=[one_line])
    recipient_address = models.TextField(
        max_length=2000, blank=True, help_text="One line per address line."
    )
    recipient_postcode = models.CharField(max_length=10, blank=True, validators=[one_line])
    recipient_delivery_line = models.CharField(
        max_length=200,
        blank=True,
        help_text="For example 'Send via email: ...'.",
        validators=[one_line],
    )
    salutation = models.CharField(
        max_length=200, blank=True, help_text="For example 'Dear Ms Y'.", validators=[one_line]
    )
    cc_lines = models.TextField(
        "cc lines",
        max_length=2000,
        blank=True,
        help_text="Printed after the signature, one per line.",
    )

    imported_from = models.CharField(
        max_length=300, blank=True, help_text="The file this visit was imported from, if any."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # Optimistic locking, as on the letter (letters.drafting.services.save_revision).
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["-start_date", "-id"], name="visit_newest_first")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="visit_end_not_before_start",
                violation_error_message="The last day of the visit cannot be before the first.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.authority}, {self.start_date:%-d %B %Y}"

    @property
    def last_day(self):
        return self.end_date or self.start_date

    @property
    def recipient_lines(self):
        """The recipient block as printed, line by line."""
        name = " ".join(part for part in (self.recipient_honorific, self.recipient_name) if part)
        block = [name] if name else []
        block += lines(self.recipient_job_title)
        if self.recipient_organisation:
            block.append(self.recipient_organisation)
        block += lines(self.recipient_address)
        if self.recipient_postcode:
            block.append(self.recipient_postcode)
        return block

    def fill_recipient_from_authority(self):
        """Copy the authority's correspondence details into the recipient block."""
        authority = self.authority
        self.recipient_honorific = authority.director_honorific
        self.recipient_name = authority.director_name
        self.recipient_job_title = authority.director_job_title
        self.recipient_organisation = authority.organisation
        self.recipient_address = authority.address
        self.recipient_postcode = authority.postcode
        if authority.director_honorific and authority.director_name:
            surname = authority.director_name.split()[-1]
            self.salutation = f"Dear {authority.director_honorific} {surname}"


class TeamMember(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "Lead inspector"
        INSPECTOR = "inspector", "Team inspector"
        HMI_DESIGNATE = "designate", "HMI designate"

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="team")
    inspector = models.ForeignKey(Inspector, on_delete=models.PROTECT, related_name="team_places")
    role = models.CharField(max_length=20, choices=Role, default=Role.INSPECTOR)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="The order the letter names the team in."
    )

    class Meta:
        ordering = ["visit", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit"],
                condition=Q(role="lead"),
                name="one_lead_inspector_per_visit",
                violation_error_message="A visit has one lead inspector.",
            ),
            models.UniqueConstraint(
                fields=["visit", "inspector"],
                name="inspector_once_per_visit",
                violation_error_message="This inspector is already on the team.",
            ),
        ]

    def __str__(self):
        return f"{self.inspector.full_name} ({self.get_role_display()})"


class VisitFocusArea(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="visit_focus_areas")
    focus_area = models.ForeignKey(FocusArea, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    wording = models.TextField(
        max_length=2000, blank=True, help_text="Leave blank to print the catalogue's wording."
    )
    listed = models.BooleanField(
        "Printed in the list",
        default=True,
        help_text=(
            "Printed in the letter's list of focus areas. Not for a theme the letter "
            "names only in a sentence (an imported letter's scope)."
        ),
    )

    class Meta:
        ordering = ["visit", "position", "id"]
        verbose_name = "focus area of the visit"
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "focus_area"],
                name="focus_area_once_per_visit",
                violation_error_message="This focus area is already on the visit.",
            ),
        ]

    def __str__(self):
        return str(self.focus_area)

    @property
    def printed_wording(self):
        return self.wording or self.focus_area.wording


class Involvement(models.Model):
    """Someone's part in a visit and its letter, kept for good.

    Written by the services whenever someone joins the team, changes the visit or its
    letter, or submits the letter; never removed, not even when they leave the team.
    The four-eyes rule reads it: nobody involved approves or publishes the letter.
    """

    class Kind(models.TextChoices):
        TEAM = "team", "On the team"
        WROTE = "wrote", "Wrote or changed the letter"
        SUBMITTED = "submitted", "Submitted the letter"

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="involvements")
    kind = models.CharField(max_length=20, choices=Kind)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="involvements",
    )
    inspector = models.ForeignKey(
        Inspector, on_delete=models.PROTECT, null=True, blank=True, related_name="involvements"
    )
    first_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["visit", "first_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "kind", "user"],
                condition=Q(inspector__isnull=True),
                name="involvement_of_user_once",
            ),
            models.UniqueConstraint(
                fields=["visit", "kind", "inspector"],
                condition=Q(user__isnull=True),
                name="involvement_of_inspector_once",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(inspector__isnull=False),
                name="involvement_names_someone",
            ),
        ]

    def __str__(self):
        who = self.inspector.full_name if self.inspector_id else str(self.user)
        return f"{who}: {self.get_kind_display()}"


class PublicationPause(models.Model):
    """Days on which Ofsted publishes nothing: nationally, or in one authority's area.

    Its days, first and last included, are not working days for deadlines and
    publication (inspections.calendar): a national pause for every authority, an
    authority's pause for that authority alone.
    """

    class Kind(models.TextChoices):
        PRE_ELECTION = "pre_election", "Pre-election period"
        NATIONAL_MOURNING = "national_mourning", "National mourning"
        OTHER = "other", "Other"

    start_date = models.DateField("First day")
    end_date = models.DateField("Last day", help_text="The pause includes this day.")
    authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="publication_pauses",
        verbose_name="local authority",
        help_text="Leave blank for a national pause.",
    )
    kind = models.CharField(max_length=30, choices=Kind)
    reason = models.CharField(
        max_length=200, help_text="For example 'General election'.", validators=[one_line]
    )

    class Meta:
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="pause_end_not_before_start",
                violation_error_message="The last day of the pause cannot be before the first.",
            ),
        ]

    def __str__(self):
        where = self.authority.name if self.authority_id else "National"
        return f"{where}: {self.reason}, {self.start_date:%-d %B %Y} to {self.end_date:%-d %B %Y}"

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": "The last day of the pause cannot be before the first."}
            )
