from django.urls import path

from . import views

app_name = "sharedcourt"
urlpatterns = [
    path("points/", views.public_list, name="points"),
    path("manage/", views.manage, name="manage"),
    path("manage/points/<int:point_id>/", views.manage_point, name="manage_point"),
    path("cases/<int:case_id>/", views.case_panel, name="case"),
    path("mine/", views.mine, name="mine"),
    path("workbench/", views.workbench, name="workbench"),
    path("filing/", views.assisted_filing, name="filing"),
    path("attendances/<int:attendance_id>/", views.attendance, name="attendance"),
    path("attendances/<int:attendance_id>/decide/", views.decide, name="decide"),
    path("attendances/<int:attendance_id>/photo", views.photo, name="photo"),
    path("attendances/<int:attendance_id>/identity/", views.identity, name="identity"),
    path("attendances/<int:attendance_id>/join/", views.join, name="join"),
    path("attendances/<int:attendance_id>/presence/", views.presence, name="presence"),
    path("attendances/<int:attendance_id>/sign/", views.sign, name="sign"),
    path("stats/", views.stats_page, name="stats"),
    path("digest/", views.digest_page, name="digest"),
]
