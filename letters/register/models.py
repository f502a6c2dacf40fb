"""A published letter in the public register: what the register shows, filters on and
searches, frozen with the version it was made from."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q


class RegisterEntry(models.Model):
    """One published version of a letter, as the register and the open data read it.

    Made when the version is published (letters.register.entries.entry_add, from
    letters.publication.services.store_version), from the content that version printed,
    so a correction being drafted never shows. The latest version of each letter is the
    current entry; the earlier ones stay, no longer current. The authority's name, ONS
    code and region are read from the authority itself, so reference data put right later
    shows at once.
    """

    version = models.OneToOneField(
        "letters.PublishedVersion", on_delete=models.PROTECT, related_name="register_entry"
    )
    letter = models.ForeignKey(
        "letters.Letter", on_delete=models.PROTECT, related_name="register_entries"
    )
    number = models.PositiveIntegerField()
    current = models.BooleanField(default=True)
    authority = models.ForeignKey(
        "inspections.LocalAuthority", on_delete=models.PROTECT, related_name="register_entries"
    )
    title = models.CharField(max_length=300)
    # The authority's name when published: searched, with the title.
    authority_name = models.CharField(max_length=200)
    visit_start = models.DateField()
    visit_end = models.DateField(null=True, blank=True)
    letter_date = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField()
    # The year of the visit: the register's year filter.
    year = models.PositiveSmallIntegerField()
    has_priority_actions = models.BooleanField()
    # The visit's focus areas when published; the register's themes are the standard ones.
    themes = models.ManyToManyField("inspections.FocusArea", related_name="+", blank=True)
    # The letter's structured content as published (letters.register.entries.content_of).
    content = models.JSONField()
    # The printed text searched: the focus areas, the sections and their items.
    text = models.TextField()
    # PostgreSQL's full-text search (filled by entry_add; empty on SQLite).
    search = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name_plural = "register entries"
        indexes = [
            GinIndex(fields=["search"], name="register_entry_search"),
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(current=True),
                name="register_current_newest",
            ),
            # The filters' counts read this index alone, not the wide rows (content, text).
            models.Index(
                fields=["authority", "year", "has_priority_actions"],
                condition=Q(current=True),
                name="register_facets",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["letter"], condition=Q(current=True), name="register_one_current_entry"
            ),
        ]

    def __str__(self):
        return f"{self.title} (version {self.number})"
