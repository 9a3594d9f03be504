from django.urls import path

from . import views

app_name = "archive"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("cases/<int:case_id>/", views.case_archive, name="case"),
    path("cases/<int:case_id>/archive/", views.archive_act, name="archive_act"),
    path("cases/<int:case_id>/transfer/", views.transfer_act, name="transfer_act"),
    path("cases/<int:case_id>/volumes/<str:volume>.zip", views.volume_zip, name="volume_zip"),
    path("cases/<int:case_id>/reading/", views.reading, name="reading"),
    path("cases/<int:case_id>/reads/", views.reads, name="reads"),
    path("documents/<int:document_id>/download", views.download, name="download"),
]
