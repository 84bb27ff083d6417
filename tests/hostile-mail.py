#!/usr/bin/python3
"""hostile-mail.py: mails built to make a mail parser use memory, for
bench/memory.sh and tests/integration/t-limits.sh.

    hostile-mail.py list                  the kinds, one a line
    hostile-mail.py KIND FILE [SIZE]      one mail of that kind in FILE
    hostile-mail.py maildir DIR COUNT [SIZE] [KIND...]
                                          COUNT mails delivered into the
                                          Maildir DIR the way a mail server
                                          does (tmp/, then new/NAME with
                                          ,S=SIZE), cycling over the kinds
    hostile-mail.py peak OUT CMD...       runs CMD (stdout to OUT, stderr
                                          to OUT.err) and prints its peak
                                          RSS in KiB and its exit status

SIZE is the size to aim at (default 10485760 - 65536: just under the
default limits.message_size, which is the worst a mail "within the
limits" can be); "big" (200 MB) and "over" (12 MB, over the limit)
ignore it.  Every mail is addressed to
comments+2024/slug@example.org from a made-up sender, with a Message-ID
of its own, so that it would be a comment if it passed the limits.
"""
import base64
import os
import socket
import sys
import time

DEFAULT = 10485760 - 65536


def head(n, extra="", ctype="text/plain; charset=utf-8", cte=None):
    h = ("From: Hostile %d <hostile%d@example.net>\n"
         "To: comments+2024/slug@example.org\n"
         "Subject: hostile %d\n"
         "Message-ID: <hostile.%d.%d@example.net>\n"
         "Date: Mon, 29 Jul 2024 10:00:00 +0200\n"
         "MIME-Version: 1.0\n" % (n, n, n, n, os.getpid()))
    h += extra
    if ctype:
        h += "Content-Type: %s\n" % ctype
    if cte:
        h += "Content-Transfer-Encoding: %s\n" % cte
    return h + "\n"


def fill(unit, size):
    """unit repeated to about size bytes."""
    if isinstance(unit, str):
        unit = unit.encode()
    return unit * max(1, size // len(unit))


BODY = b"A comment that would be fine on its own.\n"


def k_normal(n, size):
    return (head(n) + "Merci pour cet article, c'est tr\u00e8s juste.\n\n"
            "-- \nQuelqu'un\n").encode()


def k_header_fields(n, size):
    # empty header fields: 3 bytes each, millions of them
    return head(n).encode()[:-1] + fill("X:\n", size) + b"\n" + BODY


def k_header_long(n, size):
    # fields just under limits.header_length, as many as fit
    one = "X-Junk: " + "a" * 65000 + "\n"
    return head(n).encode()[:-1] + fill(one, size) + b"\n" + BODY


# The header kinds below fill the header up to just under the default
# limits.header_size (1 MiB), the most a header "within the limits" can
# cost, then pad the body up to SIZE.
HEADER = 1048576 - 8192


def within_header(n, fields, size):
    h = head(n).encode()[:-1] + fields + b"\n" + BODY
    return h + fill("pad\n", max(0, size - len(h)))


def k_header_fields_max(n, size):
    # as many fields as limits.header_fields allows, 1 KiB each
    one = "X-Filler: " + "f" * 1000 + "\n"
    return within_header(n, fill(one, 990 * len(one)), size)


def k_recipients(n, size):
    # To: fields of 5,000 distinct short addresses each
    out, i = [], 0
    while sum(map(len, out)) < HEADER - 65000:
        out.append("To: " + ",".join("a%d@b.c" % j
                                     for j in range(i, i + 5000)) + "\n")
        i += 5000
    return within_header(n, "".join(out).encode(), size)


def k_references(n, size):
    out, i = [], 0
    while sum(map(len, out)) < HEADER - 65000:
        out.append("References: " + " ".join(
            "<%d@x>" % j for j in range(i, i + 6000)) + "\n")
        i += 6000
    return within_header(n, "".join(out).encode(), size)


def k_rfc2047(n, size):
    # encoded words, each decoding to one character, charsets alternating
    one = "X-Words: " + "=?utf-8?q?=C3=A9?= =?iso-8859-1?q?=E9?= " * 1500 + "\n"
    return within_header(n, fill(one, HEADER), size)


def k_part_headers(n, size):
    # the same empty fields inside a MIME part's header
    return (head(n, ctype="multipart/mixed; boundary=B").encode() +
            b"--B\n" + fill("X:\n", size) + b"Content-Type: text/plain\n\n" +
            BODY + b"--B--\n")


def k_rfc822_headers(n, size):
    # and inside a forwarded message
    return (head(n, ctype="message/rfc822").encode() +
            fill("X:\n", size) + b"From: a@b.c\n\n" + BODY)


def k_html_elements(n, size):
    return head(n, ctype="text/html; charset=utf-8").encode() + \
        fill("<p>x<p>x<p>x<p>x<p>x<p>x<p>x<p>x<p>x<p>x\n", size)


def k_html_deep(n, size):
    return head(n, ctype="text/html; charset=utf-8").encode() + \
        fill("<div>" * 14 + "\n", size)


def k_html_quotes(n, size):
    # nested blockquotes: every line of text gets "> " per level
    return head(n, ctype="text/html; charset=utf-8").encode() + \
        fill("<blockquote>x" * 5 + "\n", size)


def k_html_attrs(n, size):
    # one element with a million distinct attributes (libxml2 2.9.14
    # compares each with all those before it)
    out, i, total = [b"<p>Hello.</p><p"], 0, 0
    while total < size:
        line = ("".join(" a%d" % j for j in range(i, i + 12)) + "\n").encode()
        out.append(line)
        total += len(line)
        i += 12
    return head(n, ctype="text/html; charset=utf-8").encode() + \
        b"".join(out) + b">x"


def k_html_ol(n, size):
    return head(n, ctype="text/html; charset=utf-8").encode() + \
        fill('<ol start="9223372036854775807"><li>x<li>y</ol>\n', size)


def k_base64(n, size):
    raw = fill("x" * 75 + "\n", size * 57 // 77)
    return head(n, cte="base64").encode() + \
        base64.encodebytes(raw)


def k_base64_html(n, size):
    raw = fill("<p>x<p>x<p>x<p>x<p>x<p>x<p>x<p>x<p>x<p>x\n", size * 57 // 77)
    return head(n, ctype="text/html; charset=utf-8",
                cte="base64").encode() + base64.encodebytes(raw)


def k_qp(n, size):
    return head(n, cte="quoted-printable").encode() + \
        fill("=C3=A9=\n", size)


def k_charset_growth(n, size):
    # windows-874 (Thai): each byte becomes three bytes of UTF-8
    return head(n, ctype="text/plain; charset=windows-874").encode() + \
        fill(b"\xa1" * 75 + b"\n", size)


def k_latin1(n, size):
    return head(n, ctype="text/plain; charset=iso-8859-1").encode() + \
        fill(b"\xe9" * 75 + b"\n", size)


def k_utf16(n, size):
    text = ("Un commentaire en UTF-16, \u00e9t\u00e9 \u6f22\u5b57.\n" *
            (size * 57 // 77 // 90)).encode("utf-16")
    return head(n, ctype="text/plain; charset=utf-16",
                cte="base64").encode() + base64.encodebytes(text)


def k_flowed(n, size):
    # soft line breaks: everything joins into one line
    return head(n, ctype="text/plain; charset=utf-8; format=flowed"
                ).encode() + fill("x \n", size) + b"\n"


def k_lines(n, size):
    return head(n).encode() + BODY + fill("\n", size)


def k_short_lines(n, size):
    return head(n).encode() + BODY + fill("a\n", size)


def k_quote_lines(n, size):
    return head(n).encode() + BODY + fill(">\n", size)


def k_long_line(n, size):
    return head(n).encode() + fill("x", size) + b"\n"


def k_parts(n, size):
    # limits.mime_parts parts, each a big text part
    per = size // 200
    out = head(n, ctype="multipart/mixed; boundary=B").encode()
    for i in range(199):
        out += b"--B\nContent-Type: text/plain\n\n" + fill("y\n", per)
    return out + b"--B--\n"


def k_big(n, size):
    return None  # written in pieces: see write()


def k_over(n, size):
    return None


KINDS = {k[2:].replace("_", "-"): f for k, f in sorted(globals().items())
         if k.startswith("k_")}
# big: 200 MB; over: just over the default limits.message_size
HUGE = {"big": 200 * 1024 * 1024, "over": 12 * 1024 * 1024}


def write(kind, path, n, size):
    with open(path, "wb") as f:
        if kind in HUGE:
            f.write(head(n).encode())
            chunk = fill("x" * 75 + "\n", 1 << 20)
            left = HUGE[kind]
            while left > 0:
                f.write(chunk[:left])
                left -= len(chunk)
            return
        f.write(KINDS[kind](n, size))


def deliver(d, count, size, kinds):
    host = "mx.example.org"
    for sub in ("tmp", "new", "cur"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    for i in range(count):
        kind = kinds[i % len(kinds)]
        now = time.time()
        name = "%d.M%dP%dQ%d.%s" % (int(now), int(now * 1e6) % 1000000,
                                    os.getpid(), i, host)
        tmp = os.path.join(d, "tmp", name)
        write(kind, tmp, i, size)
        st = os.stat(tmp)
        os.rename(tmp, os.path.join(d, "new", "%s,S=%d" % (name, st.st_size)))


def peak(out, cmd):
    import resource
    import subprocess
    with open(out, "wb") as o, open(out + ".err", "wb") as e:
        rc = subprocess.call(cmd, stdout=o, stderr=e)
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)
    return 0


def main(argv):
    if len(argv) >= 4 and argv[1] == "peak":
        return peak(argv[2], argv[3:])
    if len(argv) >= 2 and argv[1] == "list":
        print("\n".join(KINDS))
        return 0
    if len(argv) >= 4 and argv[1] == "maildir":
        size = int(argv[4]) if len(argv) > 4 else DEFAULT
        kinds = argv[5:] or [k for k in KINDS
                             if k not in ("normal", "big", "over")]
        deliver(argv[2], int(argv[3]), size, kinds)
        return 0
    if len(argv) in (3, 4) and argv[1] in KINDS:
        write(argv[1], argv[2], 1, int(argv[3]) if len(argv) > 3 else DEFAULT)
        return 0
    sys.stderr.write(__doc__)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv))
