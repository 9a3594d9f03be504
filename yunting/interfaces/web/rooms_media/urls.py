from django.urls import path

from . import views

app_name = "rooms_media"
urlpatterns = [
    path("<int:room_id>/recordings/", views.recording_start, name="recording_start"),
    path("recordings/<int:session_id>/chunks/<int:seq>", views.recording_chunk, name="recording_chunk"),
    path("recordings/<int:session_id>/finish", views.recording_finish, name="recording_finish"),
    path("patrol/", views.patrol_list, name="patrol"),
    path("patrol/<int:event_id>/decide", views.patrol_decide, name="patrol_decide"),
]
