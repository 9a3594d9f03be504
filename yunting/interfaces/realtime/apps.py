from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "yunting.interfaces.realtime"
    label = "realtime"

    def ready(self):
        from yunting.core.journal.registry import register_listener

        from .consumers import broadcast_entries, broadcast_entry

        register_listener("realtime", broadcast_entry, many=broadcast_entries)
        from .rooms import room_entry_listener

        register_listener("rooms", room_entry_listener)
        from .spaces import space_entry_listener

        register_listener("spaces", space_entry_listener)
        from yunting.workflows.transcripts.live import register_publisher

        from .transcripts import transcript_entry_listener, transcript_publish

        register_listener("transcripts", transcript_entry_listener)
        register_publisher(transcript_publish)
