"""Entry kinds the archive appends (the contract other apps may subscribe to).

archive.archived          payload: {archive_number, retention, security_level, volumes: {volume: {documents,
                          pages, tree_size, root_hash}}}; after it the case is read-only.
archive.transfer_sent     on the first-instance case: {to, transfer_id, documents, tree_size, answer}
archive.transfer_received on the new 民终 case: {from_court, from_case_number, documents, tree_size, sender_url}
"""

ARCHIVED = "archive.archived"
TRANSFER_SENT = "archive.transfer_sent"
TRANSFER_RECEIVED = "archive.transfer_received"
