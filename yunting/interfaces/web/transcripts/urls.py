from django.urls import path

from . import views

app_name = "transcripts"
urlpatterns = [
    path("<int:hearing_id>/", views.page, name="page"),
    path("<int:hearing_id>/transcript.pdf", views.pdf, name="pdf"),
    path("<int:hearing_id>/open/", views.open_, name="open"),
    path("<int:hearing_id>/review/", views.review, name="review"),
    path("<int:hearing_id>/corrections/", views.correction, name="correction"),
    path("<int:hearing_id>/corrections/<int:correction_id>/", views.decide, name="decide"),
    path("<int:hearing_id>/code/", views.code, name="code"),
    path("<int:hearing_id>/sign/", views.sign, name="sign"),
    path("<int:hearing_id>/refuse/", views.refuse, name="refuse"),
    path("<int:hearing_id>/signoffs/<int:signoff_id>/unlock/", views.unlock, name="unlock"),
    path("<int:hearing_id>/pronounce/", views.pronounce, name="pronounce"),
]
