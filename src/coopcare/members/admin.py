"""Back office for the register. Status changes and ledger entries go through the member pages
(which apply the rules), so here they are read-only."""

from django.contrib import admin

from coopcare.members.models import Member, MemberEvent, ShareEntry, StakeholderClass


@admin.register(StakeholderClass)
class StakeholderClassAdmin(admin.ModelAdmin):
    list_display = ["name", "cooperative", "kind", "share_value", "min_shares", "vote_weight"]
    list_filter = ["cooperative", "kind"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = MemberEvent
    fields = ["on", "kind", "from_class", "to_class", "reason", "recorded_by"]


class EntryInline(ReadOnlyInline):
    model = ShareEntry
    fields = ["on", "kind", "shares", "capital", "paid", "reference", "recorded_by"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["full_name", "number", "cooperative", "stakeholder_class", "status"]
    list_filter = ["cooperative", "status", "stakeholder_class__kind"]
    search_fields = ["full_name", "email"]
    autocomplete_fields = ["user"]
    readonly_fields = [
        "cooperative",
        "number",
        "stakeholder_class",
        "status",
        "applied_on",
        "admitted_on",
        "left_on",
    ]
    inlines = [EventInline, EntryInline]

    def has_add_permission(self, request):
        return False  # applications are recorded on the register page, which checks the rules

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ShareEntry)
class ShareEntryAdmin(admin.ModelAdmin):
    """The ledger is append-only: viewable here, never edited."""

    list_display = ["on", "member", "kind", "shares", "capital", "paid", "reference"]
    list_filter = ["cooperative", "kind"]
    search_fields = ["member__full_name", "reference"]
    date_hierarchy = "on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
