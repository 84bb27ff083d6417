#!/usr/bin/python3
"""smtpsink.py: an SMTP server for the tests (aiosmtpd).  Every accepted
message is written, byte for byte as received, into the Maildir DIR/new,
and one line "FILE FROM TO" is appended to DIR/envelope.log.

  --tls starttls|implicit|none   how TLS is offered (default starttls;
                                 STARTTLS is offered, not required)
  --auth USER:PASSWORD           require AUTH (PLAIN or LOGIN) before MAIL
  --xoauth2 USER:TOKEN           also accept AUTH XOAUTH2 with this bearer
  --deliver MAILDIR              also deliver a copy into this Maildir
  --mailboxes DIR                also deliver to each recipient's Maildir
                                 DIR/ADDRESS, with Return-Path and
                                 Delivered-To added as a delivery agent does
Recipients decide the reply, to test the client's verdicts:
  reject...@   550 at RCPT        tempfail...@  451 at RCPT
  bigreject...@ 554 after DATA
  --pipelining                   offer PIPELINING (RFC 2920; aiosmtpd reads
                                 pipelined commands in turn); every EHLO
                                 is logged in DIR/ehlo.log
  --kill-at N --kill-pidfile FILE  once the N-th message is written,
                                 SIGKILL the process whose pid is in FILE
                                 before answering: a client killed with
                                 a message delivered but not acknowledged
"""
import argparse
import os
import signal
import ssl
import threading
import time

from aiosmtpd.controller import Controller
from base64 import b64decode

from aiosmtpd.smtp import MISSING, AuthResult, LoginPassword

counter = 0
lock = threading.Lock()


def deliver(maildir, data):
    global counter
    with lock:
        counter += 1
        name = "%d.%d_%d.smtpsink" % (time.time(), os.getpid(), counter)
    for sub in ("tmp", "new", "cur"):
        os.makedirs(os.path.join(maildir, sub), exist_ok=True)
    tmp = os.path.join(maildir, "tmp", name)
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(tmp, 0o644)
    os.rename(tmp, os.path.join(maildir, "new", name))
    return name


class Sink:
    def __init__(self, maildir, copies, xoauth2, mailboxes, kill_at=0,
                 kill_pidfile=None):
        self.kill_at, self.kill_pidfile, self.accepted = kill_at, kill_pidfile, 0
        self.maildir = maildir
        self.copies = copies
        self.mailboxes = mailboxes
        self.xoauth2 = xoauth2.encode().split(b":", 1) if xoauth2 else None

    async def auth_XOAUTH2(self, server, args):
        """user=U^Aauth=Bearer T^A^A, base64, inline or after a 334."""
        if len(args) == 1:
            data = await server.challenge_auth("")
            if data is MISSING:
                return AuthResult(success=False)
        else:
            try:
                data = b64decode(args[1].encode(), validate=True)
            except ValueError:
                return AuthResult(success=False, handled=False)
        fields = dict(f.split(b"=", 1) for f in data.split(b"\x01") if b"=" in f)
        ok = (self.xoauth2 is not None
              and fields.get(b"user") == self.xoauth2[0]
              and fields.get(b"auth") == b"Bearer " + self.xoauth2[1])
        return AuthResult(success=ok, handled=False,
                          auth_data=LoginPassword(fields.get(b"user", b""), b""))

    async def handle_RCPT(self, server, session, envelope, address,
                          rcpt_options):
        local = address.split("@")[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 no such user here"
        if local.startswith("tempfail"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if any(r.lower().startswith("bigreject") for r in envelope.rcpt_tos):
            return "554 5.6.0 message refused"
        data = envelope.original_content
        name = deliver(self.maildir, data)
        for d in self.copies:
            deliver(d, data)
        if self.mailboxes:
            for rcpt in envelope.rcpt_tos:
                head = "Return-Path: <%s>\r\nDelivered-To: %s\r\n" % (
                    envelope.mail_from or "", rcpt.lower())
                deliver(os.path.join(self.mailboxes, rcpt.lower()),
                        head.encode() + data)
        with open(os.path.join(self.maildir, "envelope.log"), "a") as f:
            f.write("%s %s %s %s\n" % (name, envelope.mail_from or "<>",
                                       ",".join(envelope.rcpt_tos),
                                       "tls" if session.ssl else "plain"))
        self.accepted += 1
        if self.accepted == self.kill_at:
            with open(self.kill_pidfile) as f:
                os.kill(int(f.read()), signal.SIGKILL)
        return "250 2.0.0 queued as %s" % name


class PipeliningSink(Sink):
    async def handle_EHLO(self, server, session, envelope, hostname,
                          responses):
        session.host_name = hostname
        with open(os.path.join(self.maildir, "ehlo.log"), "a") as f:
            f.write("%s %s\n" % (hostname, "tls" if session.ssl else "plain"))
        return responses[:-1] + ["250-PIPELINING"] + responses[-1:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--maildir", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--tls", default="starttls",
                    choices=["starttls", "implicit", "none"])
    ap.add_argument("--auth")
    ap.add_argument("--xoauth2")
    ap.add_argument("--mailboxes")
    ap.add_argument("--deliver", action="append", default=[])
    ap.add_argument("--pipelining", action="store_true")
    ap.add_argument("--kill-at", type=int, default=0)
    ap.add_argument("--kill-pidfile")
    args = ap.parse_args()

    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(args.cert, args.key)
    kwargs = {"data_size_limit": 50 * 1024 * 1024}
    if args.tls == "starttls":
        kwargs["tls_context"] = ctx
    if args.auth or args.xoauth2:
        user, password = (args.auth or ":").split(":", 1)

        def authenticator(server, session, envelope, mechanism, data):
            ok = (args.auth and isinstance(data, LoginPassword)
                  and data.login.decode() == user
                  and data.password.decode() == password)
            return AuthResult(success=ok, handled=False)

        kwargs["authenticator"] = authenticator
        kwargs["auth_required"] = True
        kwargs["auth_require_tls"] = args.tls != "none"
    controller = Controller(
        (PipeliningSink if args.pipelining else Sink)(
            args.maildir, args.deliver, args.xoauth2, args.mailboxes,
            args.kill_at, args.kill_pidfile),
        hostname="127.0.0.1",
        port=args.port,
        ssl_context=ctx if args.tls == "implicit" else None,
        server_hostname="localhost", **kwargs)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    signal.signal(signal.SIGINT, lambda *a: stop.set())
    print("listening on %d" % args.port, flush=True)
    while not stop.wait(1):
        pass
    controller.stop()


if __name__ == "__main__":
    main()
