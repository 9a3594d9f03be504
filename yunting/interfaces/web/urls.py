from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

app_name = "web"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", views.workbench, name="workbench"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/efile/", views.efile, name="efile"),
    path("cases/<int:case_id>/efile.pdf", views.efile_pdf, name="efile_pdf"),
    path("cases/<int:case_id>/documents/new", views.document_submit, name="document_submit"),
    path("documents/<int:document_id>/", views.document_viewer, name="document"),
    path("documents/<int:document_id>/content", views.document_content, name="document_content"),
    path("admin-tools/read-log/", views.read_log_list, name="read_log"),
]
