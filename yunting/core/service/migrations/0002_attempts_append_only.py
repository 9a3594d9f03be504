from django.db import migrations

from yunting.kernel.security.triggers import migration_operation


class Migration(migrations.Migration):
    """A service attempt is a record of fact: the database itself refuses UPDATE and DELETE."""

    dependencies = [("service", "0001_initial")]
    operations = [migration_operation("service_serviceattempt")]
