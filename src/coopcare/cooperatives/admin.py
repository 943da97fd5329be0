from django.contrib import admin

from coopcare.cooperatives.models import Cooperative, CooperativeRole, Federation, FederationAnalyst


class RoleInline(admin.TabularInline):
    model = CooperativeRole
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Federation)
class FederationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Cooperative)
class CooperativeAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "federation", "country", "currency"]
    list_filter = ["federation", "country"]
    search_fields = ["name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RoleInline]


@admin.register(CooperativeRole)
class CooperativeRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "cooperative", "role", "granted_at"]
    list_filter = ["cooperative", "role"]
    search_fields = ["user__username", "user__last_name"]
    autocomplete_fields = ["user"]


@admin.register(FederationAnalyst)
class FederationAnalystAdmin(admin.ModelAdmin):
    list_display = ["user", "federation"]
    autocomplete_fields = ["user"]
