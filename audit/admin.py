from django.contrib import admin

from audit.models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that only the portal's services write: administrators read them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "action", "target_repr", "from_state", "to_state"]
    list_filter = ["action", "at"]
    search_fields = ["actor_name", "action", "target_repr"]
    date_hierarchy = "at"
