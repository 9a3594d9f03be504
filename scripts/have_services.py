"""Exit 0 when PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) both accept connections."""

import socket
import sys


def reachable(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


sys.exit(0 if reachable(5432) and reachable(6379) else 1)
