"""Entry kinds of space deliveries (every payload carries "delivery_id").

- deliveries.sent     {"delivery_id", "document_id", "party_id", "user_id"}
- deliveries.opened   {"delivery_id", "document_id"}
- deliveries.signed   {"delivery_id", "document_id", "party_id", "signature_sha256", "electronic_service",
                       "service_task_id"}
- casespace.card_wanted {"card": "delivery", "title", "url", "user_ids"}: the case space shows a card
"""

SENT = "deliveries.sent"
OPENED = "deliveries.opened"
SIGNED = "deliveries.signed"
CARD_WANTED = "casespace.card_wanted"
