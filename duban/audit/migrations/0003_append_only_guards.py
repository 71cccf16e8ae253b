"""Make the audit tables append-only at the database (see duban/audit/guards.py)."""

from django.db import migrations


def install(apps, schema_editor):
    from duban.audit import guards

    guards.install(schema_editor.connection)


def remove(apps, schema_editor):
    from duban.audit import guards

    guards.remove(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_seal_checkpoint_marker"),
    ]

    operations = [migrations.RunPython(install, remove)]
