"""Entry kinds this workflow appends. `arch` (archive) and others read custody through `selectors`, not models."""

DOCUMENT_FILED = "scanning.document_filed"  # a scanned paper document confirmed by the clerk, with its PDF
ORIGINAL_REGISTERED = "scanning.original_registered"
ORIGINAL_MOVED = "scanning.original_moved"
