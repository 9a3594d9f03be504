"""Fewer indexes on the tables every new case writes: a foreign key's own index where a composite index
starts with it, and PostgreSQL's pattern (`_like`) indexes on columns nobody searches by prefix."""

import django.db.models.deletion
from django.db import migrations, models

from yunting.kernel.common.migration_ops import drop_pattern_indexes


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_case_facets_index'),
        ('people', '0004_membership_role_all'),
    ]

    operations = [
        migrations.AlterField(
            model_name='case',
            name='court',
            field=models.ForeignKey(db_index=False, help_text='Court hearing the case.', on_delete=django.db.models.deletion.RESTRICT, related_name='cases', to='people.organisation'),
        ),
        drop_pattern_indexes('cases.Case', ['number', 'case_type', 'cause']),
    ]
