from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_save


def _place_new_township_report(sender, instance, created, raw=False, **kwargs):
    """A new report of a street or township whose name alone did not place it: the county its text names."""
    if created and not raw and instance.agency_id is not None:
        from gongkai.web.center.services.agencies import place_township

        place_township(instance)


def _delete_export_file(sender, instance, **kwargs):
    """An export job's row gone (expired and swept, or its owner deleted): its file goes too, once committed."""
    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name))


class CenterConfig(AppConfig):
    name = "gongkai.web.center"
    label = "center"
    verbose_name = "年报数据中心"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from gongkai.web.center import checks  # noqa: F401 - registers the deployment checks

        post_save.connect(_place_new_township_report, sender="center.Report", dispatch_uid="place_township")
        post_delete.connect(_delete_export_file, sender="center.ExportJob", dispatch_uid="delete_export_file")
