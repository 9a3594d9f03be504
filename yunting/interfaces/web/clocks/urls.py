from django.urls import path

from . import views

app_name = "clocks"
urlpatterns = [
    path("", views.warnings, name="warnings"),
    path("digests/", views.digests, name="digests"),
    path("closures/", views.closures, name="closures"),
    path("cases/<int:case_id>/suspend/", views.suspend, name="suspend"),
    path("cases/<int:case_id>/resume/", views.resume, name="resume"),
    path("cases/<int:case_id>/exclude/", views.exclude, name="exclude"),
    path("cases/<int:case_id>/extension/", views.extension_request, name="extension"),
    path("cases/<int:case_id>/extension/decide/", views.extension_decide, name="extension_decide"),
    path("cases/<int:case_id>/service/", views.service, name="service"),
]
