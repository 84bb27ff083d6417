#!/usr/bin/python3
"""mua.py: writes mail the way mail clients do, for the demo and the tests.

  mua.py comment MAILDIR --from 'Name <addr>' --to ADDR [--subject S]
         [--body TEXT] [--header 'Name: value']...
  mua.py reply MESSAGE MAILDIR --from 'Name <addr>' --body TEXT
         [--style top|bottom|none] [--lang en|fr] [--to ADDR]
         [--in-reply-to ID] [--no-references] [--header 'Name: value']...
  mua.py find DIR [--subject REGEX] [--to ADDR]
         the newest message of DIR (a Maildir folder such as var/outbox/new)
         whose decoded Subject matches and whose Delivered-To is ADDR
  mua.py text MESSAGE      its text body, decoded
  mua.py subject MESSAGE   its Subject, decoded

A reply goes to the Reply-To of MESSAGE (else its From), with Subject
"Re: ...", In-Reply-To and References, and the original quoted under an
attribution line in the chosen language, like Thunderbird or Apple Mail.
The new file is written into MAILDIR/new and its path printed.
Only the Python standard library is used (Debian's /usr/bin/python3).
"""
import argparse
import email
import email.policy
import email.utils
import os
import socket
import sys
import time
from email.message import EmailMessage

_counter = 0


def deliver(maildir, msg):
    global _counter
    _counter += 1
    for sub in ("tmp", "new", "cur"):
        os.makedirs(os.path.join(maildir, sub), exist_ok=True)
    ns = time.time_ns()
    # Maildir names sort by delivery time: seconds, then microseconds.
    name = "%d.M%06dP%dQ%d.%s" % (ns // 10**9, ns // 1000 % 10**6,
                                 os.getpid(), _counter, socket.gethostname())
    tmp = os.path.join(maildir, "tmp", name)
    with open(tmp, "wb") as f:
        f.write(msg.as_bytes(policy=email.policy.SMTP.clone(linesep="\n")))
    dst = os.path.join(maildir, "new", name)
    os.rename(tmp, dst)
    return dst


def add_headers(msg, headers):
    for h in headers or []:
        name, _, value = h.partition(":")
        msg[name.strip()] = value.strip()


def base(args):
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = args.sender
    msg["Date"] = email.utils.formatdate(localtime=False)
    msg["Message-ID"] = args.message_id or email.utils.make_msgid(domain="mua.test")
    msg["User-Agent"] = "mua.py (tests)"
    return msg


def cmd_comment(args):
    msg = base(args)
    msg["To"] = args.to
    msg["Subject"] = args.subject or "Comment"
    add_headers(msg, args.header)
    msg.set_content(args.body + "\n", cte=args.cte)
    print(deliver(args.maildir, msg))


def original_text(orig):
    part = orig.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def cmd_reply(args):
    with open(args.message, "rb") as f:
        orig = email.message_from_binary_file(f, policy=email.policy.default)
    msg = base(args)
    to = args.to or orig.get("Reply-To") or orig.get("From")
    msg["To"] = to
    subject = str(orig.get("Subject", ""))
    msg["Subject"] = subject if subject.lower().startswith("re:") else "Re: " + subject
    oid = orig.get("Message-ID", "").strip()
    if args.in_reply_to is not None:
        oid = args.in_reply_to
    if oid:
        msg["In-Reply-To"] = oid
        if not args.no_references:
            refs = str(orig.get("References", "")).split()
            msg["References"] = " ".join(refs + [oid])
    add_headers(msg, args.header)
    who = email.utils.parseaddr(str(orig.get("From", "")))
    name = who[0] or who[1]
    date = str(orig.get("Date", ""))
    if args.lang == "fr":
        attribution = "Le %s, %s a écrit :" % (date, name)
    else:
        attribution = "On %s, %s wrote:" % (date, name)
    quoted = "\n".join("> " + l if l else ">"
                       for l in original_text(orig).rstrip("\n").split("\n"))
    if args.style == "top":
        text = "%s\n\n%s\n%s\n" % (args.body, attribution, quoted)
    elif args.style == "bottom":
        text = "%s\n%s\n\n%s\n" % (attribution, quoted, args.body)
    else:
        text = args.body + "\n"
    msg.set_content(text, cte=args.cte)
    print(deliver(args.maildir, msg))


def load(path):
    with open(path, "rb") as f:
        return email.message_from_binary_file(f, policy=email.policy.default)


def order(path):
    """Outbox files are named after their queue row: outbox-N.eml."""
    base = os.path.basename(path)
    digits = "".join(c for c in base.split(".")[0] if c.isdigit())
    return (int(digits) if digits else 0, os.path.getmtime(path))


def cmd_find(args):
    import re
    best = None
    if not os.path.isdir(args.dir):
        return 1
    for name in os.listdir(args.dir):
        path = os.path.join(args.dir, name)
        msg = load(path)
        if args.subject and not re.search(args.subject, str(msg.get("Subject", ""))):
            continue
        if args.to and str(msg.get("Delivered-To", "")).strip().lower() != args.to.lower():
            continue
        if best is None or order(path) > order(best):
            best = path
    if best is None:
        return 1
    print(best)
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("comment")
    c.add_argument("maildir")
    r = sub.add_parser("reply")
    r.add_argument("message")
    r.add_argument("maildir")
    r.add_argument("--style", default="top", choices=("top", "bottom", "none"))
    r.add_argument("--lang", default="en", choices=("en", "fr"))
    r.add_argument("--in-reply-to", default=None)
    r.add_argument("--no-references", action="store_true")
    for q in (c, r):
        q.add_argument("--from", dest="sender", required=True)
        q.add_argument("--to", default=None)
        q.add_argument("--subject", default=None)
        q.add_argument("--body", default="")
        q.add_argument("--header", action="append")
        q.add_argument("--message-id", default=None)
        q.add_argument("--cte", default="quoted-printable",
                       choices=("quoted-printable", "base64", "8bit"))
    f = sub.add_parser("find")
    f.add_argument("dir")
    f.add_argument("--subject", default=None)
    f.add_argument("--to", default=None)
    for name in ("text", "subject"):
        q = sub.add_parser(name)
        q.add_argument("message")
    args = p.parse_args()
    if args.cmd == "find":
        return cmd_find(args)
    if args.cmd == "text":
        print(original_text(load(args.message)), end="")
        return 0
    if args.cmd == "subject":
        print(str(load(args.message).get("Subject", "")))
        return 0
    if args.cmd == "comment":
        if not args.to:
            p.error("comment needs --to")
        cmd_comment(args)
    else:
        cmd_reply(args)


if __name__ == "__main__":
    sys.exit(main())
