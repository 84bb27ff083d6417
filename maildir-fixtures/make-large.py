#!/usr/bin/python3
"""make-large.py OUTDIR: writes the three big malformed fixtures, too large
to keep in git, as OUTDIR/malformed/new/NAME, and prints each path.
Their expectations are committed in malformed/expected/NAME.json.  The
output is the same on every run (no randomness).

  - a 1 MB line (an attachment base64-encoded without line breaks);
  - 10,000 nested multipart parts, after a first text part;
  - a header field of more than 64 KiB, folded into short lines.
"""
import hashlib
import os
import sys

RCPT = 'comments+2024/panne-mondiale@example.org'


def head(sender, name, subject, msgid, date, qid, extra=''):
    return (f"Return-Path: <{sender}>\n"
            f"Delivered-To: {RCPT}\n"
            f"Received: from smtp.example.net (smtp.example.net [198.51.100.99])\n"
            f"\tby mx.example.org (Postfix) with ESMTPS id {qid}\n"
            f"\tfor <{RCPT}>; {date}\n"
            f"From: {name} <{sender}>\n"
            f"To: {RCPT}\n"
            f"Subject: {subject}\n"
            f"Date: {date}\n"
            f"Message-ID: <{msgid}>\n"
            f"{extra}"
            f"MIME-Version: 1.0\n")


def filler(n):
    """n bytes of deterministic base64-alphabet text."""
    out = bytearray()
    i = 0
    alphabet = b'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
    while len(out) < n:
        for b in hashlib.sha256(b'mailcomments %d' % i).digest():
            out.append(alphabet[b % 64])
        i += 1
    return bytes(out[:n])


def long_line():
    text = "Une pièce jointe encodée sur une seule ligne d'un mégaoctet suit ce texte."
    body = (head('oneline@example.net', 'One Line', 'Une ligne de 1 Mo',
                 'oneline.1723201501@example.net',
                 'Fri, 9 Aug 2024 13:05:01 +0200', '4WgAp4DXqEzEmP')
            + 'Content-Type: multipart/mixed; boundary="one-line"\n\n'
            + '--one-line\nContent-Type: text/plain; charset=utf-8\n'
            + 'Content-Transfer-Encoding: 8bit\n\n' + text + '\n'
            + '--one-line\nContent-Type: application/octet-stream; name="blob.bin"\n'
            + 'Content-Disposition: attachment; filename="blob.bin"\n'
            + 'Content-Transfer-Encoding: base64\n\n').encode()
    return body + filler(1000000) + b'\n--one-line--\n'


def nested(levels=10000):
    text = "Premier texte, puis dix mille parties multipart imbriquées."
    parts = [(head('nested@example.net', 'Nested Parts', 'Dix mille niveaux',
                   'nested.1723201801@example.net',
                   'Fri, 9 Aug 2024 13:10:01 +0200', '4WgAq5EXqFzFmQ')
              + 'Content-Type: multipart/mixed; boundary="n0"\n\n'
              + '--n0\nContent-Type: text/plain; charset=utf-8\n'
              + 'Content-Transfer-Encoding: 8bit\n\n' + text + '\n--n0\n')]
    for i in range(1, levels + 1):
        parts.append(f'Content-Type: multipart/mixed; boundary="n{i}"\n\n--n{i}\n')
    parts.append('Content-Type: text/plain; charset=us-ascii\n\nbottom\n')
    for i in range(levels, -1, -1):
        parts.append(f'--n{i}--\n')
    return ''.join(parts).encode()


def huge_header():
    text = "Un en-tête de plus de 64 Kio précède ce texte."
    fold = []
    data = filler(70000).decode()
    for i in range(0, len(data), 70):
        fold.append(' ' + data[i:i + 70])
    extra = 'X-Filter-Trace:' + '\n'.join(fold) + '\n'
    return (head('hdr@example.net', 'Huge Header', 'Un en-tete enorme',
                 'hugeheader.1723202101@example.net',
                 'Fri, 9 Aug 2024 13:15:01 +0200', '4WgAr6FXqGzGmR', extra)
            + 'Content-Type: text/plain; charset=utf-8\n'
            + 'Content-Transfer-Encoding: 8bit\n\n' + text + '\n').encode()


FILES = [
    ('1723201503.M100001P4242.mx.example.org', long_line),
    ('1723201803.M100002P4242.mx.example.org', nested),
    ('1723202103.M100003P4242.mx.example.org', huge_header),
]


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: make-large.py OUTDIR')
    d = os.path.join(sys.argv[1], 'malformed', 'new')
    os.makedirs(d, exist_ok=True)
    for name, make in FILES:
        path = os.path.join(d, name)
        with open(path, 'wb') as f:
            f.write(make())
        print(path)


if __name__ == '__main__':
    main()
