from django.urls import path

from . import views

app_name = "fees"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("unpaid/", views.unpaid, name="unpaid"),
    path("statements/", views.statement_import, name="statement_import"),
    path("statements/<int:import_id>/", views.statement_report, name="statement"),
    path("notices/<int:notice_id>/pay/", views.pay_online, name="pay_online"),
    path("notices/<int:notice_id>/counter/", views.pay_counter, name="pay_counter"),
    path("notices/<int:notice_id>/relief/", views.relief_apply, name="relief_apply"),
    path("relief/<int:application_id>/decide/", views.relief_decide, name="relief_decide"),
    path("refunds/<int:refund_id>/pay-out/", views.refund_pay_out, name="refund_pay_out"),
]
