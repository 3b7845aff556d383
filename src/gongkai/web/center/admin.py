"""Django admin for administrators: the agency tree, users' regions, tokens."""

# ruff: noqa: RUF012 — Django declares options (Meta, choices, error messages) as class-level lists
from django.contrib import admin

from gongkai.web.center.models import Agency, ApiToken, Correction, IngestJob, Profile, Report


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "kind", "parent", "division_code")
    list_filter = ("level", "kind")
    search_fields = ("name", "division_code")
    autocomplete_fields = ("parent",)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("pk", "agency", "year", "format", "status", "created")
    list_filter = ("format", "status", "year")
    search_fields = ("agency__name", "document__filename")
    readonly_fields = ("document", "parsed", "format", "status", "error_count", "warning_count")
    autocomplete_fields = ("agency",)


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ("report", "version", "field", "old", "new", "user", "created")
    readonly_fields = [f.name for f in Correction._meta.fields]  # history is never edited

    def has_add_permission(self, request):
        return False


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "region")
    autocomplete_fields = ("region",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "created", "last_used")
    readonly_fields = ("key_hash",)


admin.site.register(IngestJob)
