"""Django admin for administrators: users' regions and tokens; the agency tree, reports, corrections and upload
jobs to browse (changes to them go through the site, which keeps their history)."""

# ruff: noqa: RUF012 — Django declares options (Meta, choices, error messages) as class-level lists
from functools import partial

from django.contrib import admin
from django.db import transaction

from gongkai.web.center.models import Agency, ApiToken, Correction, Document, ExportJob, IngestJob, Profile, Report


class ViewOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(ViewOnlyAdmin):
    """The tree is edited on the agency pages (change history, merge of duplicates, region checks)."""

    list_display = ("name", "level", "kind", "parent", "division_code")
    list_filter = ("level", "kind")
    search_fields = ("name", "division_code")


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only: agency, year and cells are corrected on the site, which keeps a history and rechecks the report.

    Deleting a report deletes its document too, stored file included, so the same file can be uploaded again.
    """

    list_display = ("pk", "agency", "year", "format", "status", "created")
    list_filter = ("format", "status", "year")
    search_fields = ("agency__name", "document__filename")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_deleted_objects(self, objs, request):
        # The confirmation page lists what is really deleted: each document with its report beneath.
        return super().get_deleted_objects(_documents_of(objs), request)

    def delete_model(self, request, obj):
        _delete_documents(_documents_of([obj]))

    def delete_queryset(self, request, queryset):
        _delete_documents(_documents_of(queryset))


def _documents_of(reports):
    return Document.objects.filter(report__in=reports)


def _delete_documents(documents) -> None:
    """Deleting a document cascades to its report; its file goes once the deletion is committed."""
    storage = Document._meta.get_field("file").storage
    names = [name for name in documents.values_list("file", flat=True) if name]
    documents.delete()
    for name in names:
        transaction.on_commit(partial(storage.delete, name))


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


@admin.register(IngestJob)
class IngestJobAdmin(ViewOnlyAdmin):
    list_display = ("pk", "created_by", "created", "status", "processed", "total")
    list_filter = ("status",)


@admin.register(ExportJob)
class ExportJobAdmin(ViewOnlyAdmin):
    list_display = ("pk", "owner", "created", "format", "status", "done", "total", "expires_at")
    list_filter = ("status", "format")
