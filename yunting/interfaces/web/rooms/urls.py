from django.urls import path

from . import views

app_name = "rooms"
urlpatterns = [
    path("operations/", views.operations, name="operations"),
    path("case/<int:case_id>/", views.case_rooms, name="case"),
    path("join/<str:token>/", views.invitation, name="join"),
    path("<int:room_id>/", views.room_page, name="room"),
]
