from django.urls import include, path

urlpatterns = [
    path("", include("yunting.interfaces.api.urls")),
    path("verify/", include("yunting.interfaces.web.verify.urls")),
    path("papers/", include("yunting.interfaces.web.papers.urls")),
    path("fees/", include("yunting.interfaces.web.fees.urls")),
    path("filing/", include("yunting.interfaces.web.filing.urls")),
    path("accounts/", include("yunting.interfaces.web.accounts.urls")),
    path("clocks/", include("yunting.interfaces.web.clocks.urls")),
    path("court/", include("yunting.interfaces.web.court.urls")),
    path("rooms-media/", include("yunting.interfaces.web.rooms_media.urls")),
    path("rooms/", include("yunting.interfaces.web.rooms.urls")),
    path("service/", include("yunting.interfaces.web.service.urls")),
    path("s/", include("yunting.interfaces.web.service.sms_urls")),
    path("archive/", include("yunting.interfaces.web.archive.urls")),
    path("asynctrial/", include("yunting.interfaces.web.asynctrial.urls")),
    path("transcripts/", include("yunting.interfaces.web.transcripts.urls")),
    path("hearings/", include("yunting.interfaces.web.hearings.urls")),
    path("mediation/", include("yunting.interfaces.web.mediation.urls")),
    path("scanning/", include("yunting.interfaces.web.scanning.urls")),
    path("witnesses/", include("yunting.interfaces.web.witnesses.urls")),
    path("", include("yunting.interfaces.web.urls")),
]
