from django_tasks import task


@task()
def efile_text_extract(*, document_ids: list[int]) -> int:
    """Extract the text of documents filed in bulk (one-click filing), for search."""
    from django.db import transaction

    from .models import Document
    from .services import efile_extract_text

    with transaction.atomic():
        docs = list(Document.objects.filter(pk__in=document_ids, text_extracted_at__isnull=True)
                    .select_related("blob"))
        return efile_extract_text(docs)


@task()
def efile_upload_check(*, upload_id: str) -> str:
    """Check an upload's content in the sandbox and take it in, or refuse it (efile.intake.upload_check)."""
    from .intake import upload_check

    return upload_check(upload_id=upload_id).status
