from django.urls import path

from . import views

app_name = "witnesses"
urlpatterns = [
    path("rules/", views.rules, name="rules"),
    path("cases/<int:case_id>/", views.case_panel, name="case"),
    path("cases/<int:case_id>/apply/", views.apply, name="apply"),
    path("seat/<int:room_id>/state/", views.seat_state, name="seat_state"),
    path("seat/<int:room_id>/oath/", views.seat_oath, name="seat_oath"),
]
