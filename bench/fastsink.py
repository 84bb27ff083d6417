#!/usr/bin/python3
"""fastsink.py: a fast loopback SMTP sink for bench/outbox.sh, so that
the gateway's side of an SMTP delivery can be judged (the sink of the
tests, aiosmtpd in tests/servers/smtpsink.py, fsyncs every message and
spends several times the client's CPU on each).  This one is a single
asyncio protocol of ~100 lines: it offers PIPELINING (RFC 2920) and
STARTTLS, answers every command of a pipelined group in one write, and
writes each message, dot-unstuffed, into DIR/new without fsync (a file
per message, so the bench can count them).  It checks nothing (no AUTH,
every recipient accepted): a benchmark's server, never a test's.

  fastsink.py --port PORT --maildir DIR --cert CERT --key KEY
"""
import argparse
import asyncio
import os
import signal
import ssl

counter = 0


class Session(asyncio.Protocol):
    def __init__(self, args, ctx):
        self.args, self.ctx = args, ctx
        self.buf = b""
        self.in_data = False
        self.tls = False
        self.upgrading = None  # what arrives during the TLS handshake

    def connection_made(self, transport):
        self.transport = transport
        transport.write(b"220 localhost fastsink ESMTP\r\n")

    def data_received(self, data):
        if self.upgrading is not None:
            self.upgrading += data
            return
        self.buf += data
        out = []
        while True:
            if self.in_data:
                # the message ends at CRLF.CRLF (the CRLF before the dot
                # is the message's last line end)
                end = (b"\r\n" + self.buf).find(b"\r\n.\r\n")
                if end < 0:
                    break
                msg, self.buf = self.buf[:end], self.buf[end + 3:]
                self.in_data = False
                self.store(msg + b"\r\n" if msg else b"")
                out.append(b"250 2.0.0 OK\r\n")
                continue
            nl = self.buf.find(b"\r\n")
            if nl < 0:
                break
            line, self.buf = self.buf[:nl], self.buf[nl + 2:]
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                out.append(b"250-localhost\r\n250-PIPELINING\r\n"
                           b"250-8BITMIME\r\n250-SIZE 52428800\r\n" +
                           (b"" if self.tls else b"250-STARTTLS\r\n") +
                           b"250 OK\r\n")
            elif verb == b"STAR" and not self.tls:
                self.transport.write(b"".join(out) + b"220 go ahead\r\n")
                self.upgrading = b""
                asyncio.ensure_future(self.starttls())
                return
            elif verb == b"DATA":
                self.in_data = True
                out.append(b"354 end with .\r\n")
            elif verb == b"QUIT":
                self.transport.write(b"".join(out) + b"221 bye\r\n")
                self.transport.close()
                return
            else:  # MAIL, RCPT, RSET, NOOP
                out.append(b"250 OK\r\n")
        if out:
            self.transport.write(b"".join(out))

    async def starttls(self):
        # Replies go to the new transport only once start_tls returns:
        # what the client sends meanwhile waits in self.upgrading.
        loop = asyncio.get_running_loop()
        self.transport = await loop.start_tls(
            self.transport, self, self.ctx, server_side=True)
        self.tls = True
        self.buf, pending, self.upgrading = b"", self.upgrading, None
        if pending:
            self.data_received(pending)

    def store(self, msg):
        global counter
        counter += 1
        msg = msg.replace(b"\r\n..", b"\r\n.")
        if msg.startswith(b".."):
            msg = msg[1:]
        name = "%d.%d.fastsink" % (os.getpid(), counter)
        new = os.path.join(self.args.maildir, "new")
        try:
            f = open(os.path.join(new, name), "wb")
        except FileNotFoundError:  # the bench empties it between runs
            os.makedirs(new, exist_ok=True)
            f = open(os.path.join(new, name), "wb")
        with f:
            f.write(msg)


async def serve(args):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(args.cert, args.key)
    for sub in ("tmp", "new", "cur"):
        os.makedirs(os.path.join(args.maildir, sub), exist_ok=True)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Session(args, ctx),
                                      "127.0.0.1", args.port)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    print("listening on %d" % args.port, flush=True)
    async with server:
        await stop.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--maildir", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    asyncio.run(serve(ap.parse_args()))


if __name__ == "__main__":
    main()
