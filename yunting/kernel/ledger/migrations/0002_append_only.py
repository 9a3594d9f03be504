from django.db import migrations

from yunting.kernel.security.triggers import migration_operation


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [
        migration_operation("ledger_leaf"),
        migration_operation("ledger_node"),
        migration_operation("ledger_document"),
        migration_operation("ledger_treehead"),
    ]
