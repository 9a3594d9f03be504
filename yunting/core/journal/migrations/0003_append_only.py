from django.db import migrations

from yunting.kernel.security.triggers import migration_operation


class Migration(migrations.Migration):
    dependencies = [("journal", "0002_initial")]
    operations = [migration_operation("journal_journalentry")]
