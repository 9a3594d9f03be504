from django.urls import path

from .consumers import CaseFeedConsumer
from .rooms import RoomConsumer
from .spaces import SpaceConsumer
from .transcripts import TranscriptConsumer

websocket_urlpatterns = [
    path("ws/cases/<int:case_id>/", CaseFeedConsumer.as_asgi()),
    path("ws/rooms/<int:room_id>/", RoomConsumer.as_asgi()),
    path("ws/spaces/<int:space_id>/", SpaceConsumer.as_asgi()),
    path("ws/hearings/<int:hearing_id>/transcript/", TranscriptConsumer.as_asgi()),
]
