#!/usr/bin/python3
"""hooksink.py: a webhook receiver that verifies mailcomments' signature.

Each POST is appended to LOG as one JSON line (path, headers of interest,
body, and "verified": true/false/null).  With a SECRET, a request must
carry X-Mailcomments-Timestamp within WINDOW seconds of now and
X-Mailcomments-Signature = "sha256=" + HMAC-SHA256(SECRET, TS + "." +
BODY), compared in constant time, as the README tells receivers to do;
otherwise it is answered 401.

usage: hooksink.py PORT LOG [SECRET] [WINDOW]
"""
import hashlib
import hmac
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, LOG = int(sys.argv[1]), sys.argv[2]
SECRET = sys.argv[3].encode() if len(sys.argv) > 3 and sys.argv[3] else None
WINDOW = int(sys.argv[4]) if len(sys.argv) > 4 else 300


def verify(headers, body):
    ts = headers.get("X-Mailcomments-Timestamp", "")
    sig = headers.get("X-Mailcomments-Signature", "")
    if not ts.isdigit() or abs(time.time() - int(ts)) > WINDOW:
        return False
    want = "sha256=" + hmac.new(SECRET, ts.encode() + b"." + body,
                                hashlib.sha256).hexdigest()
    return hmac.compare_digest(want, sig)


class H(BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(n)
        ok = verify(self.headers, body) if SECRET else None
        keep = {k: v for k, v in self.headers.items()
                if k.lower().startswith("x-") or k.lower() in
                ("authorization", "content-type")}
        with open(LOG, "a") as f:
            f.write(json.dumps({"path": self.path, "headers": keep,
                                "body": body.decode("utf-8", "replace"),
                                "verified": ok}) + "\n")
        self.send_response(401 if ok is False else 204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *a):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), H).serve_forever()
