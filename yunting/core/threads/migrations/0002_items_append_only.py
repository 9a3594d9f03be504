from django.db import migrations

from yunting.kernel.security.triggers import migration_operation


class Migration(migrations.Migration):
    """Posted items never change: the database refuses UPDATE and DELETE (a correction is a new item)."""

    dependencies = [("threads", "0001_initial")]
    operations = [migration_operation("threads_item")]
