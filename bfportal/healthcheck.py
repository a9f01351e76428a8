"""The image's HEALTHCHECK: exits 0 when /livez/ answers 200 (the process serves, whatever its
database does: bfportal/health.py), 1 otherwise.

Python because the runtime image has no curl or wget. A bare HTTP/1.0 request on a socket:
the probe runs every few seconds in every container, and urllib or http.client would first
import ssl and email, which costs several times the CPU of the request itself.
"""

import os
import socket
import sys

PORT = int(os.environ.get("PORT", "8000"))
ADDRESS = f"127.0.0.1:{PORT}"
REQUEST = f"GET /livez/ HTTP/1.0\r\nHost: {ADDRESS}\r\n\r\n".encode()

try:
    with socket.create_connection(("127.0.0.1", PORT), timeout=3) as connection:
        connection.sendall(REQUEST)
        status_line = connection.makefile("rb").readline(200)
except OSError as error:  # connection refused, or a timeout
    print(f"healthcheck: {ADDRESS}/livez/: {error}", file=sys.stderr)
    sys.exit(1)

# "HTTP/1.0 200 OK": the status is the second word.
status = status_line.split()[1:2]
if status == [b"200"]:
    sys.exit(0)
answer = status_line.decode("latin-1").strip() or "no answer"
print(f"healthcheck: {ADDRESS}/livez/: {answer}", file=sys.stderr)
sys.exit(1)
