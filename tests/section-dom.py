#!/usr/bin/env python3
"""section-dom.py A B: compares the comment sections (<section
class="mailcomments">) of two HTML files as a browser sees them: tags,
attributes (entities decoded, sorted) and text, whitespace between tags
ignored.  Exit 0 when the same, else 1 and the first difference."""
import sys
from html.parser import HTMLParser


class Section(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.events = []

    def handle_starttag(self, tag, attrs):
        if self.depth == 0 and tag == "section" and \
                ("class", "mailcomments") in attrs:
            self.depth = 1
        elif self.depth and tag not in ("br", "hr", "img", "link", "meta"):
            self.depth += 1
        if self.depth:
            self.events.append(("<", tag, tuple(sorted(attrs))))

    def handle_endtag(self, tag):
        if self.depth:
            self.events.append((">", tag))
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and data.strip():
            self.events.append(("t", " ".join(data.split())))


def events(path):
    p = Section()
    p.feed(open(path, encoding="utf-8").read())
    return p.events


a, b = events(sys.argv[1]), events(sys.argv[2])
if not a:
    print("no section in", sys.argv[1])
    sys.exit(1)
for i, (x, y) in enumerate(zip(a, b)):
    if x != y:
        print("differ at event", i, ":", x, "!=", y)
        sys.exit(1)
if len(a) != len(b):
    print("lengths differ:", len(a), len(b))
    sys.exit(1)
print(len(a), "events alike")
