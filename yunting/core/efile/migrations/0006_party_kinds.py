"""Two party kinds the catalogue lacked: 申请书 (into 起诉与受理) and 代理词 (into 庭审与调解). Added to the sections of
every case type whose catalogue has them; kinds a court added by hand stay."""

from django.db import migrations

from yunting.core.efile.catalog import CATALOG_BY_CATEGORY


def add_kinds(apps, schema_editor):
    CaseType = apps.get_model("cases", "CaseType")
    CatalogSection = apps.get_model("efile", "CatalogSection")
    for case_type in CaseType.objects.all():
        for _volume, code, _title, kinds in CATALOG_BY_CATEGORY.get(case_type.category, []):
            section = CatalogSection.objects.filter(case_type=case_type, code=code).first()
            if section is None:
                continue
            missing = [k for k in kinds if k not in section.document_kinds]
            if missing:
                section.document_kinds = [*section.document_kinds, *missing]
                section.save(update_fields=["document_kinds"])


class Migration(migrations.Migration):
    dependencies = [("efile", "0005_uploads")]
    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
