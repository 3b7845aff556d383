from itertools import groupby

from django.db import migrations, models


def fill_figures(apps, schema_editor):
    """Reports stored before figures existed: read their rate cells once."""
    from gongkai.spec import RATE_PATHS
    from gongkai.web.center.services.store import figures_from_values

    Report = apps.get_model("center", "Report")
    Cell = apps.get_model("center", "Cell")
    rows = Cell.objects.filter(path__in=RATE_PATHS).order_by("report_id").values_list("report_id", "path", "value")
    batch = []
    for report_id, cells in groupby(rows.iterator(chunk_size=5000), key=lambda row: row[0]):
        batch.append(Report(pk=report_id, figures=figures_from_values({path: value for _, path, value in cells})))
        if len(batch) >= 1000:
            Report.objects.bulk_update(batch, ["figures"])
            batch = []
    Report.objects.bulk_update(batch, ["figures"])


class Migration(migrations.Migration):
    dependencies = [
        ("center", "0002_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="figures",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(fill_figures, migrations.RunPython.noop),
    ]
