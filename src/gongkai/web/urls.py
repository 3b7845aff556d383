"""Site URLs: the pages, the API (/api/, docs at /api/docs) and the Django admin (/admin/)."""

from django.contrib import admin
from django.urls import include, path

from gongkai.web.center.api import api
from gongkai.web.center.views.auth import admin_login
from gongkai.web.ledger.api import router as ledger_router

handler400 = "gongkai.web.center.views.errors.bad_request"
handler403 = "gongkai.web.center.views.errors.permission_denied"
handler404 = "gongkai.web.center.views.errors.not_found"
handler500 = "gongkai.web.center.views.errors.server_error"

api.add_router("/ledger", ledger_router)  # the ledger's endpoints in the same OpenAPI document

admin.site.site_header = admin.site.site_title = "gongkai 年报数据中心管理"

urlpatterns = [
    path("api/", api.urls),
    path("admin/login/", admin_login),  # before the admin's own, unthrottled login form
    path("admin/", admin.site.urls),
    path("ledger/", include("gongkai.web.ledger.urls")),
    path("authoring/", include("gongkai.web.authoring.urls")),
    path("", include("gongkai.web.center.urls")),
]
