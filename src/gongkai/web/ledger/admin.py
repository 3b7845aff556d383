"""Django admin for administrators: the log of views of unmasked personal data, to read (never to change)."""

# ruff: noqa: RUF012 — Django declares options (Meta, choices, error messages) as class-level lists
from django.contrib import admin

from gongkai.web.center.admin import ViewOnlyAdmin
from gongkai.web.ledger.models import PersonalDataView


@admin.register(PersonalDataView)
class PersonalDataViewAdmin(ViewOnlyAdmin):
    list_display = ["created", "user", "agency", "request", "where", "count", "address"]
    list_filter = ["where"]
    search_fields = ["user__username", "agency__name"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
