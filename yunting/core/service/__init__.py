"""集约送达: centralised service of documents (seed case 169, Tianjin Hexi service centre).

A court serves documents on people through this app only. Two ways in:

- directly: `services.service_request(case=…, documents=[…], recipients=[…], actor=…)` (a judge's one click,
  POST /api/v1/cases/{id}/service);
- from a workflow, without importing anything here: append a journal entry
  `service.wanted` {"documents": [document ids], "recipients": [party ids], "due_on"?: "YYYY-MM-DD",
  "foreign"?: bool, "dispatch"?: bool (default true: electronic first channels go out at once)}.
  After commit the service app creates the tasks (once per entry).

A workflow learns the result through the journal: `service.completed` {"document_kind", "served_on", "party_id",
"foreign", "task_id", "channel"} per kind of document served (core/clocks starts the periods from it),
`service.failed`, `service.reported` (the sealed 送达回证 / 电子送达凭证 in the e-file) and `service.all_served`.
See entries.py for every kind; rules.py for the legal effect of each channel.
"""
