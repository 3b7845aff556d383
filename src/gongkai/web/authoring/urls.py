from django.urls import path

from . import views

app_name = "authoring"

urlpatterns = [
    path("", views.draft_list, name="drafts"),
    path("supervision/", views.supervision, name="supervision"),
    path("consolidate/", views.consolidate, name="consolidate"),
    path("<int:pk>/", views.draft_detail, name="draft"),
    path("<int:pk>/history/", views.draft_history, name="history"),
    path("<int:pk>/ledger/", views.draft_ledger, name="ledger"),
    path("<int:pk>/check/", views.draft_check, name="check"),
    path("<int:pk>/import/<str:kind>/", views.draft_import, name="import"),
    path("<int:pk>/<str:action>/", views.draft_action, name="action"),
    path("<int:pk>/file.<str:fmt>", views.draft_file, name="file"),
]
