from django.urls import include, path

urlpatterns = [
    path("", include("yunting.interfaces.api.urls")),
    path("", include("yunting.interfaces.web.urls")),
]
