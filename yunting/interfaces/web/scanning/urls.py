from django.urls import path

from . import views

app_name = "scanning"
urlpatterns = [
    path("", views.station, name="station"),
    path("batches/<int:batch_id>/", views.batch, name="batch"),
    path("review/", views.review, name="review"),
    path("documents/<int:document_id>/decide/", views.decide, name="decide"),
    path("documents/<int:document_id>/pdf", views.scan_pdf, name="pdf"),
    path("cases/<int:case_id>/", views.case_paper, name="case_paper"),
    path("cases/<int:case_id>/cover/", views.cover_sheet, name="cover"),
    path("cases/<int:case_id>/originals/", views.original_register, name="original_register"),
    path("cases/<int:case_id>/originals/<int:original_id>/move/", views.original_move, name="original_move"),
    path("originals/", views.originals, name="originals"),
    path("search/", views.search, name="search"),
]
