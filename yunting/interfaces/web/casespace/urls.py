from django.urls import path

from . import views

app_name = "casespace"
urlpatterns = [
    path("", views.space_list, name="list"),
    path("group/", views.group_create, name="group"),
    path("case/<int:case_id>/", views.case_space, name="case"),
    path("<int:space_id>/", views.space_page, name="space"),
    path("<int:space_id>/moderate/", views.moderate, name="moderate"),
    path("<int:space_id>/upload/", views.upload, name="upload"),
    path("<int:space_id>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
]
