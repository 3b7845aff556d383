from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "gongkai.web.ledger"
    label = "ledger"
    verbose_name = "依申请公开台账"
    default_auto_field = "django.db.models.BigAutoField"
