"""Fewer indexes on the tables every new case writes: a foreign key's own index where a composite index
starts with it, and PostgreSQL's pattern (`_like`) indexes on columns nobody searches by prefix."""

import django.db.models.deletion
from django.db import migrations, models

from yunting.kernel.common.migration_ops import drop_pattern_indexes


class Migration(migrations.Migration):

    dependencies = [
        ('filing', '0007_uploads_for_existing_documents'),
        ('people', '0004_membership_role_all'),
    ]

    operations = [
        migrations.AlterField(
            model_name='filing',
            name='court',
            field=models.ForeignKey(blank=True, db_index=False, help_text='The court filed with (empty in an early draft).', null=True, on_delete=django.db.models.deletion.RESTRICT, related_name='filings', to='people.organisation'),
        ),
        migrations.AlterField(
            model_name='filing',
            name='institution',
            field=models.ForeignKey(blank=True, db_index=False, help_text='Institution of a batch record.', null=True, on_delete=django.db.models.deletion.RESTRICT, related_name='institution_filings', to='people.organisation'),
        ),
        drop_pattern_indexes('filing.Filing', ['fingerprint', 'case_type', 'cause']),
        drop_pattern_indexes('filing.FilingDocument', ['blob', 'source_blob', 'upload']),
    ]
