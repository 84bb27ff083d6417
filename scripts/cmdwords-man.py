#!/usr/bin/python3
"""cmdwords-man.py: prints the COMMAND WORDS section of mailcomments(1)
from the table in src/cmdwords.c, every word by language, context and
verb.  Non-ASCII letters are written as groff escapes (\\[u0142]), which
render the same whatever the input encoding groff assumes.  Run after
changing the table, and paste the output over the section:
    scripts/cmdwords-man.py src/cmdwords.c
tests/integration/t-cli.sh checks that every word is in the page."""
import re
import sys

LANGS = [("en", "English"), ("fr", "French"), ("de", "German"),
         ("es", "Spanish"), ("it", "Italian"), ("pt", "Portuguese"),
         ("nl", "Dutch"), ("pl", "Polish")]
VERBS = ["APPROVE", "REJECT", "SPAM", "DELETE", "BAN", "UNBAN", "EDIT",
         "TRUST", "REPLY", "UNDO", "FOLLOW", "MUTE", "UNSUBSCRIBE",
         "PENDING", "SHOW", "STATS", "HELP"]
KINDS = [("POLITE", "politeness"), ("NEGATION", "negations"),
         ("NO_OBJECTION", "nothing wrong"), ("GREETING", "greetings")]


def esc(s):
    return "".join(c if ord(c) < 128 else "\\[u%04X]" % ord(c) for c in s)


def words(ws):
    """ws joined by commas, each kept from hyphenation (\\%)."""
    return esc(", ".join("\\%" + w for w in ws))


def main():
    src = open(sys.argv[1], encoding="utf-8").read()
    verbs = {}   # (lang, group, verb) -> [word]
    kinds = {}   # (lang, kind) -> [word]
    for m in re.finditer(r'\b(V|VS|VN)\("(\w+)", "([^"]+)", (\w+)(?:, ([^)]*))?\)', src):
        mac, lang, text, verb, ctx = m.groups()
        ctx = ctx or "M"
        groups = []
        if "M" in ctx:
            groups.append("m")
        if "R" in ctx:
            groups.append("r")
        if "C" in ctx:
            groups.append("c")
        for g in groups:
            w = text + (" (after a negation)" if mac == "VN" else "")
            verbs.setdefault((lang, g, verb), []).append(w)
    for m in re.finditer(r'\bW\("(\w+)", (\w+), "([^"]+)"\)', src):
        lang, kind, text = m.groups()
        if kind == "GREETING2":
            kind, text = "GREETING", text + " ..."
        kinds.setdefault((lang, kind), []).append(text)
    for m in re.finditer(r'\bWL\("(\w+)", "([^"]+)"\)', src):
        kinds.setdefault((m.group(1), "POLITE"), []).append(m.group(2))
    out = [".SH COMMAND WORDS",
           "Every word the gateway reads in replies, by language.",
           "Each language's words are read whatever the moderator's own "
           "language, in any case, accents or not.",
           "Moderators' words answer notifications and digests, "
           "readers' words the notices about their own comment, and the "
           "console's words a mail to the bare address.",
           "A word followed by \\(lq...\\(rq opens a two-word greeting "
           "(\\fBGuten Tag\\fR, \\fBDzie\\[u0144] dobry\\fR)."]
    groups = [("m", "moderators"), ("r", "readers"), ("c", "console")]
    for lang, name in LANGS:
        out.append(".SS %s" % name)
        for g, gname in groups:
            for v in VERBS:
                ws = verbs.get((lang, g, "VERB_" + v)) or verbs.get((lang, g, v))
                if not ws:
                    continue
                out.append(".TP")
                out.append("%s, %s" % (gname, v.lower()))
                out.append(words(ws))
        for k, kname in KINDS:
            ws = kinds.get((lang, k))
            if ws:
                out.append(".TP")
                out.append(kname)
                out.append(words(ws))
    print("\n".join(out))


main()
