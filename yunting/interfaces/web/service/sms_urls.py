"""The SMS secure link (/s/<token>): public, phone-first, outside the signed-in pages."""

from django.urls import path

from . import views

app_name = "service_sms"
urlpatterns = [
    path("<str:token>", views.sms_link, name="link"),
    path("<str:token>/documents/<int:document_id>", views.sms_document, name="document"),
]
