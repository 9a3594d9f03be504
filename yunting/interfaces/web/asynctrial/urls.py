from django.urls import path

from . import views

app_name = "asynctrial"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("words/", views.words, name="words"),
    path("cases/<int:case_id>/", views.exchange, name="exchange"),
    path("cases/<int:case_id>/export.json", views.export, name="export"),
    path("cases/<int:case_id>/propose/", views.propose, name="propose"),
    path("cases/<int:case_id>/consent/", views.consent, name="consent"),
    path("cases/<int:case_id>/pledge/", views.pledge, name="pledge"),
    path("cases/<int:case_id>/post/", views.post, name="post"),
    path("cases/<int:case_id>/round/", views.round_open, name="round"),
    path("cases/<int:case_id>/close/", views.close, name="close"),
    path("cases/<int:case_id>/report/", views.report, name="report"),
    path("cases/<int:case_id>/settlement/", views.settlement, name="settlement"),
    path("cases/<int:case_id>/position-change/", views.position_change, name="position_change"),
    path("cases/<int:case_id>/position-change/decide/", views.position_change_decide, name="position_change_decide"),
]
