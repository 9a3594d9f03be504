from django.urls import path

from . import views

app_name = "papers"
urlpatterns = [
    path("cases/<int:case_id>/", views.case_papers, name="case"),
    path("cases/<int:case_id>/new/", views.paper_new, name="new"),
    path("<int:paper_id>/", views.paper_edit, name="edit"),
    path("<int:paper_id>/pdf", views.paper_pdf, name="pdf"),
    path("<int:paper_id>/sign/", views.paper_sign, name="sign"),
    path("<int:paper_id>/handsign/", views.paper_handsign, name="handsign"),
    path("seal/", views.seal_batch, name="seal_batch"),
    path("seal/jobs/<int:job_id>/", views.seal_job, name="seal_job"),
    path("verify/", views.verify, name="verify"),
    path("pki/crl/<str:label>.crl", views.crl, name="crl"),
    path("pki/ca/<str:label>.pem", views.ca_cert, name="ca_cert"),
]
