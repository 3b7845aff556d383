from django.contrib.auth import views as auth_views
from django.urls import path

from gongkai.web.center.views import agencies, analysis, auth, exports, ingest, pages, reports

app_name = "center"

urlpatterns = [
    path("", pages.home, name="home"),
    path("favicon.ico", pages.favicon, name="favicon"),
    path("reports/", reports.report_list, name="reports"),
    path("reports/export.<str:fmt>", exports.export_set, name="export_set"),
    path("exports/", exports.export_list, name="exports"),
    path("exports/<int:pk>/", exports.export_job, name="export_job"),
    path("exports/<int:pk>/download/", exports.export_download, name="export_download"),
    path("reports/<int:pk>/", reports.report_detail, name="report"),
    path("reports/<int:pk>/evidence/", reports.evidence, name="evidence"),
    path("reports/<int:pk>/source/", reports.source, name="source"),
    path("reports/<int:pk>/page.png", reports.page_image, name="page_image"),
    path("reports/<int:pk>/original/", reports.original, name="original"),
    path("reports/<int:pk>/correct/", reports.correct_cell, name="correct_cell"),
    path("reports/<int:pk>/meta/", reports.correct_meta, name="correct_meta"),
    path("reports/<int:pk>/export.<str:fmt>", exports.export_report, name="export_report"),
    path("agencies/", agencies.agency_list, name="agencies"),
    path("agencies/new/", agencies.agency_create, name="agency_create"),
    path("agencies/pick/", agencies.agency_pick, name="agency_pick"),
    path("agencies/<int:pk>/", agencies.agency_detail, name="agency"),
    path("agencies/<int:pk>/edit/", agencies.agency_update, name="agency_update"),
    path("agencies/<int:pk>/merge/", agencies.agency_merge, name="agency_merge"),
    path("agencies/<int:pk>/delete/", agencies.agency_delete, name="agency_delete"),
    path("agencies/<int:pk>/years/", analysis.agency_years, name="agency_years"),
    path("agencies/<int:pk>/consolidation/", analysis.consolidation, name="consolidation"),
    path("agencies/<int:pk>/consolidation/cell/", analysis.consolidation_cell, name="consolidation_cell"),
    path("agencies/<int:pk>/consolidation/export.xlsx", analysis.consolidation_export, name="consolidation_export"),
    path("compare/", analysis.compare_agencies, name="compare"),
    path("findings/", pages.findings_overview, name="findings"),
    path("upload/", ingest.upload, name="upload"),
    path("jobs/", ingest.job_list, name="jobs"),
    path("jobs/<int:pk>/", ingest.job_detail, name="job"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tokens/", auth.token_list, name="tokens"),
    path("tokens/<int:pk>/delete/", auth.token_delete, name="token_delete"),
]
