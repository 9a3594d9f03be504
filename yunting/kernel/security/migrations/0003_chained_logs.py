import django.utils.timezone
from django.db import migrations, models

from yunting.kernel.security.triggers import append_only_sql, migration_operation


def reinstall_readlog_triggers(apps, schema_editor):
    """SQLite rebuilds a table to add a unique column, and the rebuild drops its triggers: put them back."""
    forward, reverse = append_only_sql(schema_editor.connection.vendor, "security_readlog")
    for sql in reverse + forward:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("security", "0002_append_only")]

    operations = [
        migrations.AlterField(
            model_name="readlog", name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, help_text="UTC."),
        ),
        migrations.AddField(
            model_name="readlog", name="seq",
            field=models.BigIntegerField(blank=True, null=True, unique=True,
                                         help_text="1, 2, 3 … with no gap (empty for rows written before chaining)."),
        ),
        migrations.AddField(
            model_name="readlog", name="chain",
            field=models.CharField(blank=True, max_length=64, default="",
                                   help_text="HMAC-SHA256 over the previous row's chain and this row (audit key)."),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="ChainHead",
            fields=[
                ("name", models.CharField(help_text="readlog or securityevent.", max_length=40, primary_key=True,
                                          serialize=False)),
                ("seq", models.BigIntegerField(default=0, help_text="Last seq handed out.")),
                ("head", models.CharField(default="0" * 64, help_text="Chain value of that row.", max_length=64)),
            ],
        ),
        migrations.CreateModel(
            name="SecurityEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(help_text="e.g. login.unlocked.", max_length=40)),
                ("subject", models.CharField(help_text="What the act concerned: a username or an address.",
                                             max_length=200)),
                ("actor", models.CharField(help_text="Who did it: an administrator's username, or the operator.",
                                           max_length=150)),
                ("details", models.JSONField(blank=True, default=dict,
                                             help_text="What else was recorded (reason, counts).")),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, help_text="UTC.")),
                ("seq", models.BigIntegerField(blank=True, help_text="1, 2, 3 … with no gap.", null=True,
                                               unique=True)),
                ("chain", models.CharField(blank=True, help_text="HMAC-SHA256 chain value (audit key).",
                                           max_length=64)),
            ],
            options={"ordering": ["-at", "-id"]},
        ),
        migration_operation("security_securityevent"),
        migrations.RunPython(reinstall_readlog_triggers, migrations.RunPython.noop),
    ]
