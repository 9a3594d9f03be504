from django.urls import path

from . import views

app_name = "verify"
urlpatterns = [
    path("", views.verify_page, name="page"),
    path("proof/<str:sha256>.json", views.verify_proof_bundle, name="bundle"),
]
