"""The image's HEALTHCHECK: exits 0 when /healthz/ answers 200, 1 otherwise.

Python because the runtime image has no curl or wget; stdlib only, so it starts fast.
"""

import os
import sys
import urllib.request

URL = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz/"

try:
    with urllib.request.urlopen(URL, timeout=3) as response:  # noqa: S310 (fixed local URL)
        sys.exit(0 if response.status == 200 else 1)
except OSError as error:  # connection refused, timeout, or an HTTP 503
    print(f"healthcheck: {URL}: {error}", file=sys.stderr)
    sys.exit(1)
