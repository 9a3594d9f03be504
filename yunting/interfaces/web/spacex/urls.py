from django.urls import path

from . import views

app_name = "spacex"
urlpatterns = [
    path("cases/<int:case_id>/", views.case_index, name="case"),
    path("cases/<int:case_id>/deliveries/", views.delivery_send, name="delivery_send"),
    path("deliveries/<int:delivery_id>/", views.delivery_detail, name="delivery"),
    path("deliveries/<int:delivery_id>/document", views.delivery_document, name="delivery_document"),
    path("deliveries/<int:delivery_id>/sign", views.delivery_sign, name="delivery_sign"),
    path("cases/<int:case_id>/polls/", views.poll_open, name="poll_open"),
    path("cases/<int:case_id>/polls/<int:hearing_id>/", views.poll_detail, name="poll"),
    path("cases/<int:case_id>/payouts/", views.payout_open, name="payout_open"),
    path("payouts/<int:payout_id>/", views.payout_detail, name="payout"),
    path("payouts/<int:payout_id>/act", views.payout_act, name="payout_act"),
    path("broadcasts/", views.broadcasts, name="broadcasts"),
    path("broadcasts/<int:broadcast_id>/", views.broadcast_detail, name="broadcast"),
    path("broadcasts/<int:broadcast_id>/live.json", views.broadcast_live, name="broadcast_live"),
    path("broadcasts/<int:broadcast_id>/act", views.broadcast_act, name="broadcast_act"),
]
