from django.urls import path

from . import views

app_name = "live"
urlpatterns = [
    path("<str:token>/", views.public_page, name="page"),
    path("<str:token>/live.json", views.public_live, name="live"),
    path("<str:token>/ask", views.public_ask, name="ask"),
]
