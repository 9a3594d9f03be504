from django.urls import path

from . import views

app_name = "filing"
urlpatterns = [
    path("", views.my_filings, name="mine"),
    path("new/", views.filing_new, name="new"),
    path("causes/", views.cause_options, name="causes"),
    path("review/", views.review_queue_page, name="review"),
    path("review/accept/", views.accept_selected_view, name="accept_selected"),
    path("review/batches/<int:batch_id>/accept/", views.batch_accept_view, name="batch_accept"),
    path("review/batches/<int:batch_id>/progress/", views.batch_progress, name="batch_progress"),
    path("<int:filing_id>/", views.filing_detail, name="detail"),
    path("<int:filing_id>/edit/", views.filing_edit, name="edit"),
    path("<int:filing_id>/autosave/", views.filing_autosave, name="autosave"),
    path("<int:filing_id>/documents/", views.document_upload, name="document_upload"),
    path("<int:filing_id>/uploads/", views.upload_states, name="uploads"),
    path("<int:filing_id>/uploads/<str:upload_id>/dismiss/", views.upload_dismiss, name="upload_dismiss"),
    path("<int:filing_id>/documents/<int:document_id>/remove/", views.document_remove, name="document_remove"),
    path("<int:filing_id>/documents/<int:document_id>/content", views.document_content, name="document_content"),
    path("<int:filing_id>/documents/<int:document_id>/original", views.document_source, name="document_source"),
    path("<int:filing_id>/documents/<int:document_id>/view/", views.document_view, name="document_view"),
    path("<int:filing_id>/submit/", views.filing_submit_view, name="submit"),
    path("<int:filing_id>/delete/", views.filing_delete_view, name="delete"),
    path("<int:filing_id>/withdraw/", views.filing_withdraw_view, name="withdraw"),
    path("<int:filing_id>/ruling.pdf", views.ruling_pdf, name="ruling"),
    path("<int:filing_id>/accept/", views.filing_accept_view, name="accept"),
    path("<int:filing_id>/reject/", views.filing_reject_view, name="reject"),
    path("<int:filing_id>/supplement/", views.filing_supplement_view, name="supplement"),
]
