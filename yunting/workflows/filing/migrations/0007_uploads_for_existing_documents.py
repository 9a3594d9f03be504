"""Documents attached to filings before uploads were bound to their uploader get the upload they came from: the
filing's filer (or its institution) as owner, accepted, with every original photo kept as a part, so a
resubmission still names them and the blob sweep never takes their bytes."""

import secrets

from django.db import migrations


def forwards(apps, schema_editor):
    FilingDocument = apps.get_model("filing", "FilingDocument")
    Upload = apps.get_model("efile", "Upload")
    UploadPart = apps.get_model("efile", "UploadPart")
    Blob = apps.get_model("blobs", "Blob")
    docs = FilingDocument.objects.filter(upload__isnull=True, generated=False).select_related("filing", "blob")
    for doc in docs.iterator():
        filing = doc.filing
        user_id = doc.uploaded_by_id or filing.filer_id
        institution_id = None if user_id else filing.institution_id
        if user_id is None and institution_id is None:
            continue
        sources = [doc.source_blob_id] if doc.source_blob_id else [doc.blob_id]
        for note in doc.notes or []:
            if isinstance(note, dict) and note.get("code") == "photo_straightened":
                sources = [s for s in (note.get("data") or {}).get("sources") or [] if isinstance(s, str)] or sources
        known = set(Blob.objects.filter(sha256__in=sources).values_list("sha256", flat=True))
        sources = [s for s in sources if s in known] or [doc.blob_id]
        first = Blob.objects.get(sha256=sources[0])
        upload = Upload.objects.create(
            id=secrets.token_urlsafe(24), user_id=user_id, institution_id=institution_id, purpose="filing",
            subject=f"filing:{filing.pk}", intent={"title": doc.title, "kind": doc.kind, "filename": doc.filename},
            sha256=first.sha256, size=sum(b.size for b in Blob.objects.filter(sha256__in=sources)),
            mime_type=first.mime_type, status="accepted", notes=doc.notes or [], page_count=doc.page_count,
            document_id=doc.blob_id, checked_at=doc.created_at)
        UploadPart.objects.bulk_create([UploadPart(upload=upload, position=i, blob_id=s) for i, s in enumerate(sources)])
        FilingDocument.objects.filter(pk=doc.pk).update(upload=upload)


class Migration(migrations.Migration):
    dependencies = [
        ("filing", "0006_filing_document_upload"),
        ("efile", "0005_uploads"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
