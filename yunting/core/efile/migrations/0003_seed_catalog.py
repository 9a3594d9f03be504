from django.db import migrations

from yunting.core.efile.catalog import CATALOG_BY_CATEGORY


def seed(apps, schema_editor):
    CaseType = apps.get_model("cases", "CaseType")
    CatalogSection = apps.get_model("efile", "CatalogSection")
    for case_type in CaseType.objects.all():
        for volume, code, title, kinds in CATALOG_BY_CATEGORY[case_type.category]:
            CatalogSection.objects.update_or_create(
                case_type=case_type, code=code, defaults={"volume": volume, "title": title, "document_kinds": kinds}
            )


class Migration(migrations.Migration):
    dependencies = [("efile", "0002_initial"), ("cases", "0003_seed_types")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
