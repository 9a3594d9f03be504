from django.urls import path

from . import views

app_name = "service_web"
urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("bulk/", views.bulk_dispatch, name="bulk"),
    path("stats/", views.statistics, name="stats"),
    path("tasks/<int:task_id>/", views.task_page, name="task"),
    path("tasks/<int:task_id>/contact/", views.task_contact, name="contact"),
    path("tasks/<int:task_id>/attempts/", views.attempt_new, name="attempt"),
    path("tasks/<int:task_id>/dispatch/", views.task_dispatch, name="dispatch"),
    path("tasks/<int:task_id>/escalate/", views.task_escalate, name="escalate"),
    path("tasks/<int:task_id>/consent/", views.task_consent, name="task_consent"),
    path("cases/<int:case_id>/consent/", views.party_consent, name="party_consent"),
    path("cases/<int:case_id>/request/", views.case_request, name="request"),
    path("served/<int:task_id>/documents/<int:document_id>", views.served_document, name="served_document"),
]
