"""Fewer indexes on the tables every new case writes: a foreign key's own index where a composite index
starts with it, and PostgreSQL's pattern (`_like`) indexes on columns nobody searches by prefix."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0006_lean_indexes'),
        ('clocks', '0001_initial'),
        ('people', '0004_membership_role_all'),
    ]

    operations = [
        migrations.AlterField(
            model_name='deadline',
            name='case',
            field=models.ForeignKey(db_index=False, help_text='Case.', on_delete=django.db.models.deletion.CASCADE, related_name='deadlines', to='cases.case'),
        ),
        migrations.AlterField(
            model_name='deadline',
            name='court',
            field=models.ForeignKey(db_index=False, help_text="The case's court, for court-wide lists.", on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.organisation'),
        ),
    ]
