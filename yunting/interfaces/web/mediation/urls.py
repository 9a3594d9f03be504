from django.urls import path

from . import views

app_name = "mediation"
urlpatterns = [
    path("", views.dispute_list, name="list"),
    path("new/", views.intake, name="new"),
    path("self-help/", views.self_help, name="self_help"),
    path("queue/", views.coordinator_queue, name="queue"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("confirmations/", views.confirmation_queue, name="confirmations"),
    path("confirmations/<int:case_id>/rule/", views.confirmation_rule_view, name="rule"),
    path("from-filing/<int:filing_id>/", views.from_filing, name="from_filing"),
    path("<int:dispute_id>/", views.dispute_page, name="dispute"),
    path("<int:dispute_id>/assign/", views.assign, name="assign"),
    path("<int:dispute_id>/link/", views.link, name="link"),
    path("<int:dispute_id>/answer/", views.answer, name="answer"),
    path("<int:dispute_id>/pick/", views.pick, name="pick"),
    path("<int:dispute_id>/start/", views.start, name="start"),
    path("<int:dispute_id>/post/", views.post, name="post"),
    path("<int:dispute_id>/agreement/", views.agreement, name="agreement"),
    path("<int:dispute_id>/sign/", views.sign, name="sign"),
    path("<int:dispute_id>/outcome/", views.outcome, name="outcome"),
    path("<int:dispute_id>/confirm/", views.confirm, name="confirm"),
    path("<int:dispute_id>/convert/", views.convert, name="convert"),
]
