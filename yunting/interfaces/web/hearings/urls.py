from django.urls import path

from . import views

app_name = "hearings"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("unavailable/", views.unavailable, name="unavailable"),
    path("calendar/", views.calendar, name="calendar"),
    path("courtrooms/", views.courtrooms, name="courtrooms"),
    path("plan/", views.plan, name="plan"),
    path("plan/<int:run_id>/", views.plan_run, name="plan_run"),
    path("plan/<int:run_id>/status.json", views.plan_status, name="plan_status"),
    path("cases/<int:case_id>/", views.case, name="case"),
    path("cases/<int:case_id>/act/", views.act, name="act"),
]
