#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks that an HTML5 file is well formed and self-contained, with Python's own parser.

Usage: html_check.py FILE. Prints each problem and exits 1 when there is one: no doctype
first, an element closed that is not the one open, an element left open, a void element
closed, a script, an event handler attribute, a resource loaded from anywhere (src, link,
url( in a style), a Content-Security-Policy that allows scripts.
"""
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
# Elements whose end tag HTML5 lets out; the page closes them all the same.
FORBIDDEN = {"script", "iframe", "object", "embed", "link", "img", "base", "form"}


class Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.problems = []
        self.first = True
        self.csp = None

    def problem(self, what):
        line, col = self.getpos()
        self.problems.append(f"line {line}, column {col + 1}: {what}")

    def handle_decl(self, decl):
        if not self.first or decl.lower() != "doctype html":
            self.problem(f"unexpected declaration <!{decl}>")
        self.first = False

    def start(self, tag, attrs, closed):
        if self.first:
            self.problem("the document does not begin with <!DOCTYPE html>")
            self.first = False
        if tag in FORBIDDEN:
            self.problem(f"<{tag}> is not allowed in the report")
        for name, value in attrs:
            if name.startswith("on"):
                self.problem(f"event handler attribute {name} on <{tag}>")
            if name in ("src", "srcset", "background", "poster", "data"):
                self.problem(f"{name}= on <{tag}> loads a resource")
            if name == "href" and tag != "a":
                self.problem(f"href= on <{tag}>")
            if name == "style" and value and "url(" in value:
                self.problem(f"url( in the style of <{tag}>")
        if tag == "meta" and dict(attrs).get("http-equiv", "").lower() == \
                "content-security-policy":
            self.csp = dict(attrs).get("content", "")
        if tag not in VOID and not closed:
            self.stack.append(tag)

    def handle_starttag(self, tag, attrs):
        self.start(tag, attrs, False)

    def handle_startendtag(self, tag, attrs):
        # <x/>: fine for void elements and inside <svg>; elsewhere an element left open.
        if tag not in VOID and "svg" not in self.stack and tag != "svg":
            self.problem(f"<{tag}/> is not a void element")
        self.start(tag, attrs, True)

    def handle_endtag(self, tag):
        if tag in VOID:
            self.problem(f"</{tag}>: a void element has no end tag")
            return
        if not self.stack:
            self.problem(f"</{tag}> with nothing open")
            return
        if self.stack[-1] != tag:
            self.problem(f"</{tag}> closes <{self.stack[-1]}>")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "style" and "url(" in data:
            self.problem("url( in the style sheet")


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        text = f.read()
    c = Checker()
    c.feed(text)
    c.close()
    if c.stack:
        c.problem("left open: " + " ".join(f"<{t}>" for t in c.stack))
    if c.csp is None:
        c.problem("no Content-Security-Policy meta element")
    elif "script-src 'none'" not in c.csp and "default-src 'none'" not in c.csp:
        c.problem(f"the Content-Security-Policy allows scripts: {c.csp}")
    for p in c.problems:
        print(p)
    return 1 if c.problems else 0


if __name__ == "__main__":
    sys.exit(main())
