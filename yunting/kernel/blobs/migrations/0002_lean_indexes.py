"""Fewer indexes on the tables every new case writes: a foreign key's own index where a composite index
starts with it, and PostgreSQL's pattern (`_like`) indexes on columns nobody searches by prefix."""

from django.db import migrations

from yunting.kernel.common.migration_ops import drop_pattern_indexes


class Migration(migrations.Migration):

    dependencies = [
        ('blobs', '0001_initial'),
    ]

    operations = [
        drop_pattern_indexes('blobs.Blob', ['sha256']),
    ]
