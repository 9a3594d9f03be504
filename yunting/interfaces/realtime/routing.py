from django.urls import path

from .consumers import CaseFeedConsumer

websocket_urlpatterns = [
    path("ws/cases/<int:case_id>/", CaseFeedConsumer.as_asgi()),
]
