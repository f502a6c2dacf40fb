"""The letters in the Django admin.

A letter's content can be changed here only while the letter may be edited (a draft, or
returned); every save goes through the drafting services, so it is checked, versioned
(a page based on an older revision is refused) and audited like an inspector's, and
the administrator becomes involved in the letter (the four-eyes rule).
"""

from django.contrib import admin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from inspections.admin_support import ReadOnlyAdmin, RevisionAdminForm, changed_values, save_rows
from letters import permissions
from letters.drafting import services as drafting
from letters.models import Comment, Item, Letter, PublishedVersion, Section, Submission
from letters.rendering.compose import letter_queryset
from letters.rendering.pdf import letter_pdf


def letter_is_open(request, letter):
    return letter is None or permissions.can_edit_letter(request.user, letter)


class LetterContentAdmin(admin.ModelAdmin):
    """A part of a letter: read-only unless the letter may be edited, saved by services.

    `parent` names the field that holds it in its letter ("letter", "section"), fixed
    once it exists; `add(request, parent, values)` and `update(request, obj, based_on,
    values)` call the drafting services.
    """

    form = RevisionAdminForm
    parent = ""

    def letter_of(self, obj):
        raise NotImplementedError

    def add(self, request, parent, values):
        raise NotImplementedError

    def update(self, request, obj, based_on, values):
        raise NotImplementedError

    def get_readonly_fields(self, request, obj=None):
        fixed = [self.parent] if obj is not None and self.parent else []
        return [*super().get_readonly_fields(request, obj), *fixed]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or letter_is_open(request, self.letter_of(obj)))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or letter_is_open(request, self.letter_of(obj)))

    def save_model(self, request, obj, form, change):
        values = changed_values(form)
        values.pop(self.parent, None)
        if not change:
            created = self.add(request, getattr(obj, self.parent), values)
            obj.pk, obj.revision = created.pk, created.revision
            obj._state.adding = False
        elif values:
            self.update(request, obj, form.based_on(), values)


# Stacked: a tabular row's fields have no labels (axe, tests/browser/test_admin_*).
class ContentInline(admin.StackedInline):
    form = RevisionAdminForm

    def parent_letter(self, obj):
        raise NotImplementedError

    def _open(self, request, obj):
        return obj is None or letter_is_open(request, self.parent_letter(obj))

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._open(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._open(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._open(request, obj)


class SectionInline(ContentInline):
    model = Section
    fields = [
        "position",
        "kind",
        "heading",
        "lead_in",
        "none_statement",
        "heading_footnote",
        "page_break_before",
    ]
    extra = 1
    show_change_link = True

    def parent_letter(self, letter):
        return letter


def section_rows(request, formset, letter):
    save_rows(
        formset,
        add=lambda form: drafting.section_add(
            letter=letter, by=request.user, **changed_values(form)
        ),
        change=lambda form: drafting.section_update(
            section=form.instance,
            by=request.user,
            based_on=form.based_on(),
            values=changed_values(form),
        ),
        delete=lambda section: drafting.section_delete(
            section=section, by=request.user, based_on=section.revision
        ),
    )


@admin.register(Letter)
class LetterAdmin(LetterContentAdmin):
    list_display = ["visit", "status", "title", "updated_at", "pdf_link"]
    list_filter = ["status", "visit__kind", "visit__office"]
    search_fields = ["visit__authority__name", "title"]
    raw_id_fields = ["visit"]
    list_select_related = ["visit__authority"]
    # The status changes only through the workflow's services, never here.
    readonly_fields = ["status", "revision", "submitted_at", "created_at", "updated_at", "pdf_link"]
    inlines = [SectionInline]
    fieldsets = [
        (None, {"fields": ["visit", "status", "title", "pdf_link", "revision_seen"]}),
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

    parent = "visit"  # a letter stays with its visit

    def letter_of(self, letter):
        return letter

    def add(self, request, visit, values):
        # The template of the visit's period gives the words left as they were; the
        # sections are the ones entered below, inline.
        return drafting.letter_create(visit=visit, by=request.user, values=values, sections=False)

    def update(self, request, letter, based_on, values):
        drafting.letter_update(letter=letter, by=request.user, based_on=based_on, values=values)

    @admin.display(description="PDF")
    def pdf_link(self, letter):
        if not letter.pk:
            return "-"
        url = reverse("admin:letters_letter_pdf", args=[letter.pk])
        return format_html('<a href="{}">Download the draft PDF</a>', url)

    def get_urls(self):
        return [
            path(
                "<int:letter_id>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="letters_letter_pdf",
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

    def save_formset(self, request, form, formset, change):
        section_rows(request, formset, form.instance)

    def delete_model(self, request, obj):
        raise PermissionError("Letters are not deleted")

    def has_delete_permission(self, request, obj=None):
        return False


class ItemInline(ContentInline):
    model = Item
    fields = ["position", "style", "text", "cross_reference", "footnote"]
    extra = 3

    def parent_letter(self, section):
        return section.letter


@admin.register(Section)
class SectionAdmin(LetterContentAdmin):
    list_display = ["heading", "kind", "position", "letter"]
    list_filter = ["kind"]
    search_fields = ["heading", "letter__visit__authority__name", "items__text"]
    list_select_related = ["letter__visit__authority"]
    raw_id_fields = ["letter"]
    inlines = [ItemInline]

    parent = "letter"

    def letter_of(self, section):
        return section.letter

    def add(self, request, letter, values):
        return drafting.section_add(letter=letter, by=request.user, **values)

    def update(self, request, section, based_on, values):
        drafting.section_update(section=section, by=request.user, based_on=based_on, values=values)

    def get_search_results(self, request, queryset, search_term):
        queryset, _ = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False

    def delete_model(self, request, obj):
        drafting.section_delete(section=obj, by=request.user, based_on=obj.revision)

    def save_formset(self, request, form, formset, change):
        section = form.instance
        save_rows(
            formset,
            add=lambda row: drafting.item_add(
                section=section, by=request.user, **changed_values(row)
            ),
            change=lambda row: drafting.item_update(
                item=row.instance,
                by=request.user,
                based_on=row.based_on(),
                values=changed_values(row),
            ),
            delete=lambda item: drafting.item_delete(
                item=item, by=request.user, based_on=item.revision
            ),
        )


@admin.register(Item)
class ItemAdmin(LetterContentAdmin):
    list_display = ["__str__", "style", "position", "section"]
    list_filter = ["style", "section__kind"]
    search_fields = ["text", "cross_reference"]
    list_select_related = ["section"]
    raw_id_fields = ["section"]

    parent = "section"

    def letter_of(self, item):
        return item.section.letter

    def add(self, request, section, values):
        return drafting.item_add(section=section, by=request.user, **values)

    def update(self, request, item, based_on, values):
        drafting.item_update(item=item, by=request.user, based_on=based_on, values=values)

    def delete_model(self, request, obj):
        drafting.item_delete(item=obj, by=request.user, based_on=obj.revision)


@admin.register(PublishedVersion)
class PublishedVersionAdmin(ReadOnlyAdmin):
    list_display = ["title", "number", "letter_date", "published_at", "published_by", "imported"]
    list_filter = ["imported", "published_at"]
    search_fields = ["title", "sha256", "letter__visit__authority__name"]
    list_select_related = ["published_by"]
    exclude = ["html"]


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
