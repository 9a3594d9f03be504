from django.db import migrations

from yunting.core.cases.casetypes import CASE_TYPES, CAUSES


def seed(apps, schema_editor):
    CaseType = apps.get_model("cases", "CaseType")
    Cause = apps.get_model("cases", "Cause")
    for code, name, category, procedure, std in CASE_TYPES:
        CaseType.objects.update_or_create(
            code=code, defaults={"name": name, "category": category, "default_procedure": procedure, "standard_code": std}
        )
    for code, name, category in CAUSES:
        Cause.objects.update_or_create(code=code, defaults={"name": name, "category": category})


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
