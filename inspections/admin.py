from django.contrib import admin

from inspections.models import (
    AuthorityUser,
    FocusArea,
    Inspector,
    LocalAuthority,
    Office,
    TeamMember,
    Visit,
    VisitFocusArea,
)


class AuthorityUserInline(admin.TabularInline):
    model = AuthorityUser
    autocomplete_fields = ["user"]
    extra = 0


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "urn", "organisation", "director_name", "postcode"]
    search_fields = ["name", "urn", "organisation", "director_name"]
    fieldsets = [
        (None, {"fields": ["name", "urn", "organisation"]}),
        (
            "Director of children's services",
            {"fields": ["director_honorific", "director_name", "director_job_title"]},
        ),
        ("Correspondence address", {"fields": ["address", "postcode"]}),
    ]
    inlines = [AuthorityUserInline]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "telephone", "email", "web_address"]
    search_fields = ["name", "address"]


@admin.register(Inspector)
class InspectorAdmin(admin.ModelAdmin):
    list_display = ["full_name", "grade", "user"]
    list_filter = ["grade"]
    search_fields = ["full_name", "user__username", "user__email"]
    autocomplete_fields = ["user"]


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "wording"]


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    autocomplete_fields = ["inspector"]
    extra = 1


class VisitFocusAreaInline(admin.TabularInline):
    model = VisitFocusArea
    autocomplete_fields = ["focus_area"]
    extra = 1


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["authority", "kind", "start_date", "end_date", "letter_date", "office"]
    list_filter = ["kind", "office", "start_date"]
    search_fields = ["authority__name", "recipient_name", "team__inspector__full_name"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["authority", "qa_manager"]
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
        ("Record", {"fields": ["imported_from", "created_at", "updated_at"]}),
    ]
    search_help_text = "Search by authority, recipient or inspector."

    def get_search_results(self, request, queryset, search_term):
        queryset, _ = super().get_search_results(request, queryset, search_term)
        # Searching across the team can match a visit once per inspector.
        return queryset.distinct(), False
