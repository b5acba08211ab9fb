"""Deliveries in the admin: read-only, for superusers (no group is given the right to view them)."""

from django.contrib import admin

from core.admin import ReadOnlyAdminMixin
from notifications.models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "kind", "object_key", "due_on", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "created_at"]
    # The Message-ID too, to find the delivery of a message someone received (twice, perhaps).
    search_fields = ["=object_key", "=recipient", "=message_id"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    # No full-table COUNT(*) beside the filtered one on every page.
    show_full_result_count = False
    fields = [
        "kind",
        "object_key",
        "due_on",
        "recipient",
        "subject",
        "body",
        "message_id",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "last_attempt_at",
        "sent_at",
    ]
