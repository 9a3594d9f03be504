"""The entry kinds the service app appends, and the one it listens to.

- service.wanted     (appended by others) {"documents": [document ids], "recipients": [party ids],
                     "document_kind"?: str, "due_on"?: "YYYY-MM-DD"}: the service app creates the tasks.
- service.requested  {"task_ids", "documents": [{id, title, kind, sha256}], "recipients": [party ids]}
- service.consented  {"party_id", "form", "channels", "confirmed_by"} (OLR arts 29–30)
- service.attempted  {"task_id", "party_id", "channel", "outcome", "at", "note"}
- service.completed  {"document_kind", "served_on", "party_id", "foreign", "task_id", "channel"} — core/clocks
                     starts the recipient's periods from it, core/fees the fee-payment days.
- service.failed     {"task_id", "party_id"}: every channel of the plan failed.
- service.reported   {"task_id", "party_id"} + the sealed 送达回证 / 电子送达凭证 as its document.
- service.all_served {"task_ids"}: every task of one request is served (the judge is told).
"""

WANTED = "service.wanted"
REQUESTED = "service.requested"
CONSENTED = "service.consented"
ATTEMPTED = "service.attempted"
COMPLETED = "service.completed"
FAILED = "service.failed"
REPORTED = "service.reported"
ALL_SERVED = "service.all_served"
