from django.urls import path

from gongkai.web.ledger.views import cases, pages, public, transfer, yearend

app_name = "ledger"

urlpatterns = [
    path("", pages.home, name="home"),
    path("agency/<int:pk>/", pages.agency_ledger, name="agency"),
    path("agency/<int:pk>/new/", pages.request_create, name="request_create"),
    path("agency/<int:pk>/settings/", pages.agency_settings, name="settings"),
    path("agency/<int:pk>/cases/", cases.case_list, name="cases"),
    path("agency/<int:pk>/cases/new/", cases.case_create, name="case_create"),
    path("cases/<int:pk>/edit/", cases.case_update, name="case_update"),
    path("agency/<int:pk>/import/", transfer.import_ledger, name="import"),
    path("agency/<int:pk>/export.xlsx", transfer.export_xlsx, name="export"),
    path("agency/<int:pk>/year/<int:year>/", yearend.year_end, name="year"),
    path("agency/<int:pk>/year/<int:year>/cell/", yearend.year_cell, name="year_cell"),
    path("agency/<int:pk>/year/<int:year>/report.json", yearend.year_json, name="year_json"),
    path("requests/<int:pk>/", pages.request_detail, name="request"),
    path("requests/<int:pk>/edit/", pages.request_update, name="request_update"),
    path("requests/<int:pk>/events/", pages.event_add, name="event_add"),
    path("requests/<int:pk>/events/<int:event_id>/delete/", pages.event_delete, name="event_delete"),
    path("requests/<int:pk>/history/", pages.request_history, name="history"),
    path("requests/<int:pk>/attachments/<int:attachment_id>/", pages.attachment, name="attachment"),
    path("apply/<int:pk>/", public.apply, name="apply"),
    path("lookup/", public.lookup, name="lookup"),
]
