"""Crime aggregates keep their mean point as published (WGS84 longitude and latitude); the recompute
converts each LSOA's mean point to the British National Grid. Existing points are converted back."""

from django.db import migrations, models

CHUNK = 20_000


def points_to_wgs84(apps, schema_editor):
    from priorities.geo import to_latitude_longitude

    CrimeAggregate = apps.get_model("priorities", "CrimeAggregate")
    located = CrimeAggregate.objects.filter(easting__isnull=False, northing__isnull=False).order_by("pk")
    last_pk = 0
    while rows := list(located.filter(pk__gt=last_pk).values_list("pk", "easting", "northing")[:CHUNK]):
        latitudes, longitudes = to_latitude_longitude([row[1] for row in rows], [row[2] for row in rows])
        CrimeAggregate.objects.bulk_update(
            [
                CrimeAggregate(pk=pk, longitude=longitude, latitude=latitude)
                for (pk, _, _), longitude, latitude in zip(rows, longitudes, latitudes, strict=True)
            ],
            ["longitude", "latitude"],
            batch_size=1000,
        )
        last_pk = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("priorities", "0005_boundaries_for_map_outlines"),
    ]

    operations = [
        migrations.AddField(
            model_name="crimeaggregate",
            name="latitude",
            field=models.FloatField(blank=True, help_text="Mean latitude of the located rows (WGS84).", null=True),
        ),
        migrations.AddField(
            model_name="crimeaggregate",
            name="longitude",
            field=models.FloatField(blank=True, help_text="Mean longitude of the located rows (WGS84).", null=True),
        ),
        migrations.RunPython(points_to_wgs84, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(model_name="crimeaggregate", name="easting"),
        migrations.RemoveField(model_name="crimeaggregate", name="northing"),
        migrations.AlterField(
            model_name="crimeaggregate",
            name="count",
            field=models.PositiveIntegerField(help_text="Crimes, a repeated Crime ID counted once."),
        ),
    ]
