#!/usr/bin/python3
"""s3verify.py: a front for s3rver that checks AWS Signature Version 4.

s3rver (npm) stores and serves objects like S3 but does not verify V4
signatures: this front does, then forwards the request to it.  The
signature is recomputed with botocore (AWS's own SDK, Debian
python3-botocore) over the headers the client says it signed, with the
one secret this server knows; the body must match x-amz-content-sha256.
A mismatch is answered like S3: 403 with <Code>SignatureDoesNotMatch</Code>.

usage: s3verify.py PORT UPSTREAM_PORT ACCESS_KEY SECRET REGION
"""
import hashlib
import hmac
import http.client
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

PORT, UPSTREAM, ACCESS, SECRET, REGION = (int(sys.argv[1]), int(sys.argv[2]),
                                          sys.argv[3], sys.argv[4],
                                          sys.argv[5])
AUTH_RE = re.compile(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/s3/"
                     r"aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?"
                     r"Signature=([0-9a-f]{64})$")


class Signed(S3SigV4Auth):
    """Signs exactly the headers the request names."""

    def __init__(self, names):
        super().__init__(Credentials(ACCESS, SECRET), "s3", REGION)
        self.names = names

    def headers_to_sign(self, request):
        out = http.client.HTTPMessage()
        for n in self.names:
            out[n] = request.headers.get(n, "")
        return out


def check(method, path, headers, body):
    """None when the request is signed with SECRET, else why not."""
    m = AUTH_RE.match(headers.get("Authorization", ""))
    if m is None:
        return "no SigV4 Authorization"
    access, day, region, names, sig = m.groups()
    if access != ACCESS:
        return "unknown access key"
    date = headers.get("x-amz-date", "")
    if region != REGION or not date.startswith(day):
        return "wrong credential scope"
    sha = headers.get("x-amz-content-sha256", "")
    if sha != "UNSIGNED-PAYLOAD" and sha != hashlib.sha256(body).hexdigest():
        return "body does not match x-amz-content-sha256"
    names = names.split(";")
    req = AWSRequest(method=method, url="http://%s%s" % (headers["Host"], path),
                     headers={n: headers.get(n, "") for n in names},
                     data=body)
    req.context["timestamp"] = date
    auth = Signed(names)
    canonical = auth.canonical_request(req)
    want = auth.signature(auth.string_to_sign(req, canonical), req)
    if not hmac.compare_digest(want, sig):
        return "signature does not match"
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("s3verify: " + (fmt % args) + "\n")

    def handle_any(self):
        n = int(self.headers.get("Content-Length", "0") or 0)
        body = self.rfile.read(n) if n else b""
        why = check(self.command, self.path, self.headers, body)
        if why:
            sys.stderr.write("s3verify: refused %s %s: %s\n" %
                             (self.command, self.path, why))
            out = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
                   "SignatureDoesNotMatch</Code><Message>%s</Message></Error>"
                   % why).encode()
            self.send_response(403)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)
            return
        up = http.client.HTTPConnection("127.0.0.1", UPSTREAM, timeout=10)
        hdrs = {k: v for k, v in self.headers.items()
                if k.lower() not in ("connection", "expect")}
        up.request(self.command, self.path, body=body or None, headers=hdrs)
        r = up.getresponse()
        data = r.read()
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("connection", "transfer-encoding",
                                 "content-length", "keep-alive", "date",
                                 "server"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        up.close()

    do_GET = do_PUT = do_DELETE = do_HEAD = do_POST = handle_any


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
