from django.apps import AppConfig


class CenterConfig(AppConfig):
    name = "gongkai.web.center"
    label = "center"
    verbose_name = "年报数据中心"
    default_auto_field = "django.db.models.BigAutoField"
