#!/usr/bin/python3
"""imaptool.py: what a mail client does, for the tests: append a message,
list a folder with its flags, fetch one message, show UIDVALIDITY.

usage: imaptool.py --port P --ca CA.crt [--user U] COMMAND ARGS
  append FOLDER FILE [FLAGS]   prints the new UID
  list FOLDER                  one line per message: UID, flags, Message-ID
  count FOLDER                 number of messages
  fetch FOLDER UID             the raw message on stdout
  uidvalidity FOLDER
  folders                      every folder, one per line
  delete FOLDER
  move FROM TO                 every message of FROM into TO (UID MOVE)

Users are the test users of tests/servers.sh; "comments" means
comments@example.org and their passwords are known here.
"""
import argparse
import imaplib
import re
import ssl
import sys

PASSWORDS = {
    "comments@example.org": "comments-pw",
    "moderator@example.org": "moderator-pw",
    "nomove@example.org": "fallback-pw",
    "noidle@example.org": "fallback-pw",
    "nouidplus@example.org": "fallback-pw",
}


def connect(args):
    ctx = ssl.create_default_context(cafile=args.ca)
    imap = imaplib.IMAP4_SSL("127.0.0.1", args.port, ssl_context=ctx,
                             timeout=30)
    user = args.user if "@" in args.user else args.user + "@example.org"
    imap.login(user, PASSWORDS[user])
    return imap


def quote(folder):
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def check(typ, data, what):
    if typ != "OK":
        sys.exit("imaptool: %s: %s %r" % (what, typ, data))
    return data


def select(imap, folder, readonly=True):
    check(*imap.select(quote(folder), readonly=readonly), what="SELECT")


def cmd_append(imap, args):
    with open(args.rest[1], "rb") as f:
        data = f.read()
    flags = "(%s)" % args.rest[2] if len(args.rest) > 2 else None
    typ, resp = imap.append(quote(args.rest[0]), flags, None, data)
    check(typ, resp, "APPEND")
    m = re.search(rb"APPENDUID \d+ (\d+)", resp[0] or b"")
    print(m.group(1).decode() if m else "?")


def cmd_list(imap, args):
    select(imap, args.rest[0])
    typ, data = imap.uid("FETCH", "1:*",
                         "(UID FLAGS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
    check(typ, data, "FETCH")
    for item in data:
        if not isinstance(item, tuple):
            continue
        head = item[0].decode()
        uid = re.search(r"UID (\d+)", head).group(1)
        flags = re.search(r"FLAGS \(([^)]*)\)", head).group(1)
        mid = item[1].decode(errors="replace").strip()
        mid = re.sub(r"(?i)^message-id:\s*", "", mid)
        print("%s\t%s\t%s" % (uid, flags or "-", mid))


def cmd_count(imap, args):
    typ, data = imap.select(quote(args.rest[0]), readonly=True)
    check(typ, data, "SELECT")
    print(int(data[0]))


def cmd_fetch(imap, args):
    select(imap, args.rest[0])
    typ, data = imap.uid("FETCH", args.rest[1], "(BODY.PEEK[])")
    check(typ, data, "FETCH")
    for item in data:
        if isinstance(item, tuple):
            sys.stdout.buffer.write(item[1])
            return
    sys.exit("imaptool: no message with UID %s" % args.rest[1])


def cmd_uidvalidity(imap, args):
    typ, data = imap.status(quote(args.rest[0]), "(UIDVALIDITY)")
    check(typ, data, "STATUS")
    print(re.search(rb"UIDVALIDITY (\d+)", data[0]).group(1).decode())


def cmd_folders(imap, args):
    typ, data = imap.list()
    check(typ, data, "LIST")
    for line in data:
        m = re.match(rb'\(.*?\) (?:"."|NIL) (.*)$', line)
        name = m.group(1).decode()
        if name.startswith('"'):
            name = name[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        print(name)


def cmd_delete(imap, args):
    check(*imap.delete(quote(args.rest[0])), what="DELETE")


def cmd_move(imap, args):
    select(imap, args.rest[0], readonly=False)
    check(*imap.uid("MOVE", "1:*", quote(args.rest[1])), what="MOVE")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--ca", required=True)
    ap.add_argument("--user", default="comments")
    ap.add_argument("command")
    ap.add_argument("rest", nargs="*")
    args = ap.parse_args()
    imap = connect(args)
    globals()["cmd_" + args.command](imap, args)
    imap.logout()


if __name__ == "__main__":
    main()
