from django.apps import AppConfig


class RoomsMediaConfig(AppConfig):
    name = "yunting.core.rooms.media"
    label = "rooms_media"
    verbose_name = "庭审录像与巡查"

    def ready(self):
        from yunting.core.journal.registry import subscribe
        from yunting.kernel.blobs.references import register_blob_reference
        from yunting.kernel.common.periodic import register_periodic

        from .services import recordings_assemble_stale

        # a closed room's recordings are assembled and filed (a tab that was killed never said "stop")
        subscribe("room.closed", "yunting.core.rooms.media.subscriptions.on_room_closed")
        # each filed recording is patrolled in the background
        subscribe("room.recording_filed", "yunting.core.rooms.media.subscriptions.on_recording_filed")
        register_blob_reference("rooms_media.RecordingChunk", "blob")
        register_blob_reference("rooms_media.RecordingSession", "blob")
        register_blob_reference("rooms_media.PatrolEvent", "notice_sha256")
        # a recording whose page went away and whose room stays open is assembled after a quiet hour
        register_periodic("rooms_media.stale", 600, recordings_assemble_stale)
