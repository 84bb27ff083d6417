#!/usr/bin/python3
# bench/corpus.py BOX COUNT SEED [flood|- [UID GID]]: COUNT comment mails
# straight into the Maildir BOX as a delivery agent leaves them: written
# in tmp/, renamed into new/ as TIME.MUSECPPID.HOST,S=SIZE,W=SIZE (a name
# without ,S= sends Dovecot's lookup into a slow path).  The files are
# CRLF.  Received and DKIM headers, plain text (8bit or quoted-printable)
# or text + HTML, French and English, 0.5 to 6 KB, 500 readers writing to
# twenty articles; with "flood", 90% of the mail from 3 senders.  The
# same SEED gives the same mail.  Used by bench/imap.sh and bench/wal.sh.
import os, random, sys, quopri
box, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
flood = len(sys.argv) > 4 and sys.argv[4] == "flood"
# the owner of the files: the mailbox's own (Dovecot's user, for imap.sh)
uid, gid = (int(sys.argv[5]), int(sys.argv[6])) if len(sys.argv) > 6 else (-1, -1)
rnd = random.Random(seed)
for d in ("new", "cur", "tmp"):
    os.makedirs(os.path.join(box, d), exist_ok=True)
    os.chown(os.path.join(box, d), uid, gid)
os.chown(box, uid, gid)
fr = ("Merci pour cet article très clair. Je ne suis pas d'accord avec la "
      "conclusion : les éditeurs de logiciels ont une part de responsabilité "
      "évidente, et les opérateurs aussi. À quand une enquête sérieuse ? ")
en = ("Thanks for the write-up. I think the timeline in the third paragraph "
      "is off by an hour, the update was pushed at 04:09 UTC, not 05:09. ")
names = ["Zoé Lefèvre", "Jean Dupont", "Ana García", "Li Wei", "Søren Kierkegaard",
         "Chloé Martin", "Bob Smith", "Émile Zola"]
for i in range(n):
    k = seed * 1000000 + i
    who = rnd.randrange(500)
    if flood and rnd.random() < 0.9:
        who = 500 + rnd.randrange(3)
    name = names[who % len(names)]
    art = rnd.randrange(1, 21)
    text = (fr if who % 3 else en) * rnd.randrange(1, 12)
    head = ("Return-Path: <reader%d@example.net>\r\n"
            "Delivered-To: comments+2024/article-%d@example.org\r\n"
            "Received: from mx.example.net (mx.example.net [192.0.2.%d])\r\n"
            "\tby mail.example.org (Postfix) with ESMTPS id %X\r\n"
            "\tfor <comments+2024/article-%d@example.org>; Mon, 29 Jul 2024 10:%02d:00 +0200\r\n"
            "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.net; s=s1;\r\n"
            "\th=from:to:subject:date:message-id; bh=%s=;\r\n\tb=%s\r\n"
            "From: %s <reader%d@example.net>\r\n"
            "To: comments+2024/article-%d@example.org\r\n"
            "Subject: Re: Article %d\r\n"
            "Date: Mon, 29 Jul 2024 10:%02d:00 +0200\r\n"
            "Message-ID: <bench-%d@example.net>\r\n"
            "MIME-Version: 1.0\r\n"
            % (who, art, who % 250, k, art, i % 60, "x" * 43, "y" * 300,
               name, who, art, art, i % 60, k))
    if rnd.random() < 0.3:
        b = "b%d" % k
        body = ("Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n"
                "--%s\r\nContent-Type: text/plain; charset=utf-8\r\n"
                "Content-Transfer-Encoding: 8bit\r\n\r\n%s\r\n"
                "--%s\r\nContent-Type: text/html; charset=utf-8\r\n"
                "Content-Transfer-Encoding: 8bit\r\n\r\n<p>%s</p>\r\n--%s--\r\n"
                % (b, b, text, b, text, b))
    elif rnd.random() < 0.5:
        q = quopri.encodestring(text.encode()).decode().replace("\n", "\r\n")
        body = ("Content-Type: text/plain; charset=utf-8\r\n"
                "Content-Transfer-Encoding: quoted-printable\r\n\r\n%s\r\n" % q)
    else:
        body = ("Content-Type: text/plain; charset=utf-8\r\n"
                "Content-Transfer-Encoding: 8bit\r\n\r\n%s\r\n" % text)
    data = (head + body).encode()
    name_ = "%d.M%dP%d.bench.example.org,S=%d,W=%d" % (
        1722240000 + i // 100, (i % 100) * 10000 + seed, 4000 + seed,
        len(data), len(data))
    p = os.path.join(box, "tmp", name_)
    with open(p, "wb") as f:
        f.write(data)
    os.chown(p, uid, gid)
    os.rename(p, os.path.join(box, "new", name_))
