from django.apps import AppConfig


class AuthoringConfig(AppConfig):
    name = "gongkai.web.authoring"
    label = "authoring"
    verbose_name = "年报编写"
    default_auto_field = "django.db.models.BigAutoField"
