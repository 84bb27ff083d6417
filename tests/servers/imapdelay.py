#!/usr/bin/python3
"""imapdelay.py: a plain-text IMAP relay on loopback that answers UID MOVE late.

Each connection to 127.0.0.1:PORT is relayed to 127.0.0.1:UPSTREAM (a
Dovecot's plain IMAP port).  The client's commands pass at once; in the
server's answers, the tagged answer to a UID MOVE (and so everything
after it, as IMAP answers come in order) is held DELAY seconds.  A
client that treats a MOVE as done before reading its answer then shows
it: what it does in those seconds happens before the answer.  Literals
({n} at the end of a line) are relayed as bytes, never read as lines.

usage: imapdelay.py PORT UPSTREAM DELAY
"""
import re
import socket
import sys
import threading
import time

PORT, UPSTREAM, DELAY = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
MOVE = re.compile(rb"^(\S+) UID MOVE ", re.I)
LITERAL = re.compile(rb"\{(\d+)\+?\}\r\n$")


def pump(src, dst, look):
    """Relays src to dst line by line (literals as bytes), each line
    shown to look() before it goes; then ends dst's side."""
    f = src.makefile("rb")
    try:
        while True:
            line = f.readline()
            if not line:
                break
            look(line)
            dst.sendall(line)
            lit = LITERAL.search(line)
            if lit:
                dst.sendall(f.read(int(lit.group(1))))
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def relay(cli):
    srv = socket.create_connection(("127.0.0.1", UPSTREAM), timeout=30)
    srv.settimeout(None)
    tags = set()

    def command(line):
        m = MOVE.match(line)
        if m:
            tags.add(m.group(1))

    def answer(line):
        tag = line.split(b" ", 1)[0]
        if tag in tags:
            tags.discard(tag)
            time.sleep(DELAY)

    a = threading.Thread(target=pump, args=(cli, srv, command), daemon=True)
    a.start()
    pump(srv, cli, answer)
    a.join(30)
    cli.close()
    srv.close()


def main():
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", PORT))
    ls.listen(8)
    while True:
        cli, _ = ls.accept()
        threading.Thread(target=relay, args=(cli,), daemon=True).start()


main()
