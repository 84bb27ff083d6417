#!/usr/bin/python3
"""cmdwords-man.py: prints the COMMAND WORDS section of mailcomments(1)
from the catalogs' word entries (msgctxt "command words: ...", "reader
command words: ...", "console command words: ...", "reply words: ..."):
English from po/mailcomments.pot's msgids, each other language from its
po/LANG.po.  Non-ASCII letters are written as groff escapes (\\[u0142]),
which render the same whatever the input encoding groff assumes.  Run
after changing a catalog's words, and paste the output over the section:
    scripts/cmdwords-man.py po
With --words, prints every command word instead, one per line.
tests/integration/t-cli.sh checks that the page has both."""
import os
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


def unquote(lines):
    out = ""
    for line in lines:
        m = re.match(r'^(?:msgctxt|msgid|msgstr)?\s*"(.*)"$', line)
        out += m.group(1)
    return (out.replace("\\\\", "\0").replace('\\"', '"')
            .replace("\\n", "\n").replace("\0", "\\"))


def entries(path):
    """(msgctxt, msgid) -> msgstr of the word entries of one .po file,
    fuzzy ones left out as the program leaves them out."""
    res = {}
    for block in open(path, encoding="utf-8").read().split("\n\n"):
        fields, cur = {}, None
        for line in block.split("\n"):
            if line.startswith("#,") and "fuzzy" in line:
                fields["fuzzy"] = True
            m = re.match(r"^(msgctxt|msgid|msgstr) ", line)
            if m:
                cur = m.group(1)
                fields[cur] = [line]
            elif line.startswith('"') and cur:
                fields[cur].append(line)
        if "msgctxt" not in fields or "fuzzy" in fields:
            continue
        ctx = unquote(fields["msgctxt"])
        if re.search(r"command words: |^reply words: ", ctx):
            res[(ctx, unquote(fields["msgid"]))] = unquote(fields["msgstr"])
    return res


def split(words):
    return [] if words in ("", "-") else [w.strip() for w in words.split(",") if w.strip()]


KIND_OF = {"reply words: politeness that may open a line": "POLITE",
           "reply words: politeness": "POLITE",
           "reply words: negations": "NEGATION",
           "reply words: nothing wrong": "NO_OBJECTION",
           "reply words: greetings": "GREETING",
           "reply words: first word of a two-word greeting": "GREETING2"}
GROUP_OF = {"command words": "m", "reader command words": "r",
            "console command words": "c"}


def main():
    podir = sys.argv[-1]
    pot = entries(os.path.join(podir, "mailcomments.pot"))
    verbs = {}   # (lang, group, verb) -> [word]
    kinds = {}   # (lang, kind) -> [word]
    for lang, _ in LANGS:
        po = {} if lang == "en" else entries(os.path.join(podir, lang + ".po"))
        for (ctx, msgid) in pot:
            ws = split(msgid if lang == "en" else po.get((ctx, msgid), ""))
            m = re.match(r"^(.*command words): (\w+)(, after a negation)?$", ctx)
            if m:
                group, verb, neg = m.groups()
                verb = {"yes": "approve", "no": "reject"}.get(verb, verb)
                ws = [w + (" (after a negation)" if neg else "") for w in ws]
                verbs.setdefault((lang, GROUP_OF[group], verb.upper()), []).extend(ws)
            elif ctx in KIND_OF:
                kind = KIND_OF[ctx]
                if kind == "GREETING2":
                    kind, ws = "GREETING", [w + " ..." for w in ws]
                kinds.setdefault((lang, kind), []).extend(ws)
    if sys.argv[1] == "--words":
        print("\n".join(sorted({w.split(" (")[0] for ws in verbs.values() for w in ws})))
        return
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
                ws = verbs.get((lang, g, v))
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
