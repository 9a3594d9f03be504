"""Fewer indexes on the tables every new case writes: a foreign key's own index where a composite index
starts with it, and PostgreSQL's pattern (`_like`) indexes on columns nobody searches by prefix."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from yunting.kernel.common.migration_ops import drop_pattern_indexes


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0006_lean_indexes'),
        ('efile', '0006_party_kinds'),
        ('people', '0004_membership_role_all'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='document',
            name='case',
            field=models.ForeignKey(db_index=False, help_text='Case.', on_delete=django.db.models.deletion.RESTRICT, related_name='documents', to='cases.case'),
        ),
        migrations.AlterField(
            model_name='upload',
            name='institution',
            field=models.ForeignKey(blank=True, db_index=False, help_text='The institution whose key uploaded (batch filing).', null=True, on_delete=django.db.models.deletion.RESTRICT, related_name='+', to='people.organisation'),
        ),
        migrations.AlterField(
            model_name='upload',
            name='user',
            field=models.ForeignKey(blank=True, db_index=False, help_text='The person who uploaded (empty for an institution).', null=True, on_delete=django.db.models.deletion.RESTRICT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        drop_pattern_indexes('efile.Upload', ['id', 'sha256', 'document']),
        drop_pattern_indexes('efile.Document', ['blob']),
        drop_pattern_indexes('efile.UploadPart', ['blob', 'upload']),
    ]
