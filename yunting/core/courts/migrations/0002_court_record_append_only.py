from django.db import migrations

from yunting.kernel.security.triggers import migration_operation


class Migration(migrations.Migration):
    dependencies = [("courts", "0001_initial")]
    operations = [migration_operation("courts_courtrecord")]
