from django.urls import path

from . import views

app_name = "court"
urlpatterns = [
    path("", views.admin_home, name="admin"),
    path("divisions/new/", views.division_new, name="division_new"),
    path("divisions/<int:division_id>/", views.division_edit, name="division_edit"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_new, name="person_new"),
    path("people/import/", views.people_import, name="people_import"),
    path("people/<int:post_id>/", views.post_edit, name="post_edit"),
    path("people/absence/", views.absence_new, name="absence_new"),
    path("people/recusal/", views.recusal_new, name="recusal_new"),
    path("settings/", views.settings_save, name="settings"),
    path("settings/route/", views.route_save, name="route"),
    path("settings/threshold/", views.threshold_save, name="threshold"),
    path("work/", views.workbench, name="workbench"),
    path("assign/", views.assign_queue, name="assign_queue"),
    path("assign/auto/", views.assign_auto, name="assign_auto"),
    path("cases/<int:case_id>/assign/", views.case_assign_view, name="case_assign"),
    path("cases/<int:case_id>/procedure/", views.case_procedure_view, name="case_procedure"),
]
