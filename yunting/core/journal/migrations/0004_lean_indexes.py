"""Fewer indexes on the tables every new case writes: a foreign key's own index where a composite index
starts with it, and PostgreSQL's pattern (`_like`) indexes on columns nobody searches by prefix."""

import django.db.models.deletion
from django.db import migrations, models

from yunting.kernel.common.migration_ops import drop_pattern_indexes
from yunting.kernel.security.triggers import sqlite_remake_guard

# SQLite rebuilds the table to drop the index, and a rebuilt table has lost its append-only triggers
TRIGGERS_BACK_ON_REVERSE, TRIGGERS_BACK = sqlite_remake_guard("journal_journalentry")


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0006_lean_indexes'),
        ('journal', '0003_append_only'),
    ]

    operations = [
        TRIGGERS_BACK_ON_REVERSE,
        migrations.AlterField(
            model_name='journalentry',
            name='case',
            field=models.ForeignKey(db_index=False, help_text='Case.', on_delete=django.db.models.deletion.RESTRICT, related_name='journal', to='cases.case'),
        ),
        TRIGGERS_BACK,
        drop_pattern_indexes('journal.JournalEntry', ['entry_hash']),
    ]
