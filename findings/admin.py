from django.contrib import admin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from findings.compose import letter_queryset
from findings.letters import letter_pdf
from findings.models import AuditEvent, Comment, Item, Letter, PublishedVersion, Section, Submission


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["position", "kind", "heading", "lead_in", "none_statement", "heading_footnote"]
    extra = 1
    show_change_link = True


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ["visit", "status", "title", "updated_at", "pdf_link"]
    list_filter = ["status", "visit__kind", "visit__office"]
    search_fields = ["visit__authority__name", "title"]
    autocomplete_fields = ["visit"]
    list_select_related = ["visit__authority"]
    # The status changes only through the workflow's services, never here.
    readonly_fields = ["status", "revision", "submitted_at", "created_at", "updated_at", "pdf_link"]
    inlines = [SectionInline]
    fieldsets = [
        (None, {"fields": ["visit", "status", "title", "pdf_link"]}),
        (
            "Before the findings",
            {"fields": ["introduction", "scope_lead_in", "list_focus_areas", "preamble"]},
        ),
        (
            "After the findings",
            {"fields": ["closing", "sign_off", "signatory_note", "signatory_title"]},
        ),
        ("Record", {"fields": ["revision", "submitted_at", "created_at", "updated_at"]}),
    ]

    @admin.display(description="PDF")
    def pdf_link(self, letter):
        if not letter.pk:
            return "-"
        url = reverse("admin:findings_letter_pdf", args=[letter.pk])
        return format_html('<a href="{}">Download the draft PDF</a>', url)

    def get_urls(self):
        return [
            path(
                "<int:letter_id>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="findings_letter_pdf",
            ),
            *super().get_urls(),
        ]

    def pdf_view(self, request, letter_id):
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        letter = get_object_or_404(letter_queryset(), pk=letter_id)
        response = HttpResponse(letter_pdf(letter, draft=True), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="letter-{letter.pk}-draft.pdf"'
        response["Cache-Control"] = "no-store"
        return response

    def save_model(self, request, obj, form, change):
        if change:
            obj.revision += 1
        super().save_model(request, obj, form, change)


class ItemInline(admin.TabularInline):
    model = Item
    fields = ["position", "style", "text", "cross_reference", "footnote"]
    extra = 3


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["heading", "kind", "position", "letter"]
    list_filter = ["kind"]
    search_fields = ["heading", "letter__visit__authority__name", "items__text"]
    list_select_related = ["letter__visit__authority"]
    autocomplete_fields = ["letter"]
    inlines = [ItemInline]

    def get_search_results(self, request, queryset, search_term):
        queryset, _ = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "style", "position", "section"]
    list_filter = ["style", "section__kind"]
    search_fields = ["text", "cross_reference"]
    list_select_related = ["section"]
    autocomplete_fields = ["section"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that only the portal's services write: administrators read them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PublishedVersion)
class PublishedVersionAdmin(ReadOnlyAdmin):
    list_display = ["title", "number", "letter_date", "published_at", "published_by", "imported"]
    list_filter = ["imported", "published_at"]
    search_fields = ["title", "sha256", "letter__visit__authority__name"]
    list_select_related = ["published_by"]
    exclude = ["html"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "action", "letter", "from_state", "to_state"]
    list_filter = ["action", "at"]
    search_fields = ["actor_name", "action", "letter__visit__authority__name"]
    list_select_related = ["letter__visit__authority"]
    date_hierarchy = "at"


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["letter", "number", "submitted_by", "submitted_at"]
    search_fields = ["letter__visit__authority__name"]
    list_select_related = ["letter__visit__authority", "submitted_by"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "letter", "author", "created_at", "resolved_at"]
    list_filter = ["resolved_at"]
    search_fields = ["text", "letter__visit__authority__name"]
    list_select_related = ["letter__visit__authority", "author"]
