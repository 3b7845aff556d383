from django.urls import path

from . import views

app_name = "authoring"

urlpatterns = [
    path("", views.draft_list, name="drafts"),
    path("<int:pk>/", views.draft_detail, name="draft"),
    path("<int:pk>/import/<str:kind>/", views.draft_import, name="import"),
    path("<int:pk>/<str:action>/", views.draft_action, name="action"),
    path("<int:pk>/file.<str:fmt>", views.draft_file, name="file"),
]
