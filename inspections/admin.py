"""Reference data and visits in the Django admin.

Every save is audited (inspections.services.reference_save); a visit, its team and its
focus areas are saved through the same services as the portal's pages, so they are
checked (not while its letter is with quality assurance), versioned and audited.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models

from inspections import services, user_admin  # noqa: F401  (user_admin: the User admin)
from inspections.admin_support import (
    LabelledFileWidget,
    RevisionAdminForm,
    changed_values,
    save_rows,
)
from inspections.models import (
    AuthorityUser,
    FocusArea,
    Inspector,
    LocalAuthority,
    Office,
    PublicationPause,
    TeamMember,
    Visit,
    VisitFocusArea,
)


class AuditedAdmin(admin.ModelAdmin):
    """Reference data: each save and delete writes an audit event."""

    def save_model(self, request, obj, form, change):
        services.reference_save(instance=obj, by=request.user, changed=form.changed_data)

    def delete_model(self, request, obj):
        services.reference_delete(instance=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        save_rows(
            formset,
            add=lambda row: self.save_model(request, row.instance, row, False),
            change=lambda row: self.save_model(request, row.instance, row, True),
            delete=lambda obj: self.delete_model(request, obj),
        )


class AuthorityUserInline(admin.StackedInline):
    model = AuthorityUser
    raw_id_fields = ["user"]
    extra = 0


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(AuditedAdmin):
    list_display = ["name", "ons_code", "region", "urn", "organisation", "director_name"]
    list_filter = ["region"]
    search_fields = ["name", "ons_code", "urn", "organisation", "director_name"]
    fieldsets = [
        (None, {"fields": ["name", "ons_code", "region", "urn", "organisation"]}),
        (
            "Director of children's services",
            {"fields": ["director_honorific", "director_name", "director_job_title"]},
        ),
        ("Correspondence address", {"fields": ["address", "postcode"]}),
    ]
    inlines = [AuthorityUserInline]


@admin.register(Office)
class OfficeAdmin(AuditedAdmin):
    list_display = ["name", "telephone", "email", "web_address"]
    search_fields = ["name", "address"]
    formfield_overrides = {models.ImageField: {"widget": LabelledFileWidget}}


@admin.register(Inspector)
class InspectorAdmin(AuditedAdmin):
    list_display = ["full_name", "grade", "user"]
    list_filter = ["grade"]
    search_fields = ["full_name", "user__username", "user__email"]
    raw_id_fields = ["user"]
    actions = ["merge_two"]

    @admin.action(description="Merge the two selected inspectors (one person)")
    def merge_two(self, request, queryset):
        """The record with a user account, or else the older one, is kept."""
        chosen = sorted(queryset, key=lambda i: (i.user_id is None, i.pk))
        if len(chosen) != 2:
            self.message_user(
                request, "Select exactly two inspectors to merge.", level=messages.ERROR
            )
            return
        into, source = chosen
        try:
            services.inspector_merge(source=source, into=into, by=request.user)
        except ValidationError as refused:
            self.message_user(request, refused.messages[0], level=messages.ERROR)
            return
        self.message_user(request, f"{source.full_name} was merged into {into.full_name}.")


@admin.register(FocusArea)
class FocusAreaAdmin(AuditedAdmin):
    list_display = ["name", "is_active", "is_standard"]
    list_filter = ["is_active", "is_standard"]
    search_fields = ["name", "wording"]
    # The standard themes' order is the migration's (inspections/migrations/0004).
    exclude = ["position"]


class PauseScopeFilter(admin.SimpleListFilter):
    title = "applies to"
    parameter_name = "scope"

    def lookups(self, request, model_admin):
        return [("national", "Every authority (national)"), ("authority", "One authority")]

    def queryset(self, request, queryset):
        if self.value() in ("national", "authority"):
            return queryset.filter(authority__isnull=self.value() == "national")
        return queryset


@admin.register(PublicationPause)
class PublicationPauseAdmin(AuditedAdmin):
    """Days with no publication: they are not working days (inspections.calendar)."""

    list_display = ["start_date", "end_date", "authority", "kind", "reason"]
    list_filter = ["kind", PauseScopeFilter, "start_date"]
    search_fields = ["reason", "authority__name"]
    date_hierarchy = "start_date"
    list_select_related = ["authority"]
    empty_value_display = "National"
    fields = [("start_date", "end_date"), "authority", "kind", "reason"]


# Stacked, not tabular, and plain selects, not autocomplete: a tabular row's fields have
# no labels and select2's box has no accessible name (axe, tests/browser/test_admin_*).
class TeamMemberInline(admin.StackedInline):
    model = TeamMember
    can_delete = True
    extra = 1


class VisitFocusAreaInline(admin.StackedInline):
    model = VisitFocusArea
    extra = 1
    # Unlisted entries are the themes an imported letter names only in a sentence.
    exclude = ["listed"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    form = RevisionAdminForm
    list_display = ["authority", "kind", "start_date", "end_date", "letter_date", "office"]
    list_filter = ["kind", "office", "start_date"]
    search_fields = ["authority__name", "recipient_name", "team__inspector__full_name"]
    date_hierarchy = "start_date"
    list_select_related = ["authority", "office"]
    inlines = [TeamMemberInline, VisitFocusAreaInline]
    readonly_fields = ["imported_from", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "authority",
                    "kind",
                    ("start_date", "end_date"),
                    "letter_date",
                    "office",
                    "qa_manager",
                ]
            },
        ),
        (
            "Recipient",
            {
                "fields": [
                    ("recipient_honorific", "recipient_name"),
                    "recipient_job_title",
                    "recipient_organisation",
                    "recipient_address",
                    "recipient_postcode",
                    "recipient_delivery_line",
                    "salutation",
                ]
            },
        ),
        ("After the signature", {"fields": ["cc_lines"]}),
        ("Record", {"fields": ["imported_from", "created_at", "updated_at", "revision_seen"]}),
    ]
    search_help_text = "Search by authority, recipient or inspector."

    def get_search_results(self, request, queryset, search_term):
        queryset, _ = super().get_search_results(request, queryset, search_term)
        # Searching across the team can match a visit once per inspector.
        return queryset.distinct(), False

    def has_change_permission(self, request, obj=None):
        # Read-only once its letter is with quality assurance or published.
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or services.may_change(obj, request.user))

    def save_model(self, request, obj, form, change):
        values = changed_values(form)
        if not change:
            visit = services.visit_add(by=request.user, values=values)
            obj.pk, obj.revision = visit.pk, visit.revision
            obj._state.adding = False
        elif values:
            services.visit_update(
                visit=obj, by=request.user, based_on=form.based_on(), values=values
            )

    def delete_model(self, request, obj):
        services.reference_delete(instance=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        visit = form.instance
        if formset.model is TeamMember:
            save_rows(
                formset,
                add=lambda row: services.team_member_add(
                    visit=visit,
                    by=request.user,
                    inspector=row.cleaned_data["inspector"],
                    role=row.cleaned_data["role"],
                    position=row.cleaned_data.get("position"),
                ),
                change=lambda row: services.team_member_update(
                    member=row.instance, by=request.user, values=changed_values(row)
                ),
                delete=lambda member: services.team_member_remove(member=member, by=request.user),
            )
        else:
            save_rows(
                formset,
                add=lambda row: services.focus_area_save(entry=row.instance, by=request.user),
                change=lambda row: services.focus_area_save(entry=row.instance, by=request.user),
                delete=lambda entry: services.focus_area_remove(entry=entry, by=request.user),
            )
