#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The documentation's shell examples run as written.

    run_doc_examples.py CASEWATCH_BINARY SOURCE_DIR FILE.md...

Every ```sh fenced block of each FILE (an indented fence too) is read; each line in it that
starts with `casewatch ` is an example, joined with the lines after it while it ends in a
backslash. Other lines of a block (`bash .ci/demo`, `cmake ...`) are not run.

Per FILE, the examples run in order, in one fresh temporary directory DIR, through bash, as
a reader would type them, with:

  - `casewatch` on PATH (the built binary), PATH=DIR/bin:/usr/bin:/bin, cwd DIR;
  - CASEWATCH_DB=DIR/cases.db, HOME=DIR, TMPDIR=DIR/tmp, TZ=UTC, NO_COLOR=1,
    CASEWATCH_TODAY=2026-11-28, CASEWATCH_NOW=2026-11-28T09:14:03Z, CASEWATCH_USER=doc;
  - CASEWATCH_OFFLINE=1: nothing goes to the network (see "Network commands" below);
  - a stand-in `crontab` in DIR/bin that keeps the table in DIR/crontab.txt, so that
    `cron --install` never touches a real crontab;
  - a made-up Case Status API key file, ~/.config/casewatch/uscis-api.json (0600), so that
    `status fetch` gets as far as its offline refusal (it checks the keys first);
  - the files of tests/docs/files/ copied into DIR: the files a reader is assumed to have
    (`times import I-485-QNS.json processing-times.csv uscis.db`); `NAME.sql` is built into
    the SQLite file NAME.

An example fails when
  1. bash reads other words than the page shows. The page's words are the line without its
     comment (an unquoted `#` after a blank and followed by a blank or the line's end),
     split as a POSIX shell splits them; bash's are what `printf '%s\\0'` prints for the same
     line in bash. An unquoted `#7` is the classic case: bash drops it as a comment. An
     unquoted `#` that starts a word is named in the failure.
  2. it exits non-zero, unless its own comment announces the code: `# ... exits 3 ...` (or
     `exit 3`).
  3. Network commands (`times fetch`, `status fetch`, `bulletin fetch`, `check --fetch`,
     `check --fetch-times`) are run offline and only their offline outcome is accepted:
     `times|status|bulletin fetch` exit 2 saying "offline"; `check --fetch*` warns that it
     is offline and checks as usual (exit 0). So their words and options are checked, and
     that they do not go online; what they would fetch is not.

A block that cannot run here is marked on the line before its fence, with an HTML comment
that the rendered page does not show:

    <!-- doc-test: skip REASON -->

The test lists such blocks with their reason. Keep them few; none is marked today.

Exit status: 0 when every example passed, 1 otherwise (each failure names FILE:LINE, the
command, its exit code, stdout and stderr), 2 on a usage error of this script.
"""

import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile

TODAY = "2026-11-28"
NOW = "2026-11-28T09:14:03Z"

FENCE = re.compile(r"^(\s*)```(\S*)\s*$")
SKIP = re.compile(r"<!--\s*doc-test:\s*skip\s+(.*?)\s*-->")
ANNOUNCED_EXIT = re.compile(r"\bexits?\s+(\d+)\b")

FAKE_CRONTAB = """#!/bin/sh
# A stand-in for crontab(1): the table lives in $HOME/crontab.txt.
f="$HOME/crontab.txt"
if [ "$1" = "-l" ]; then
  [ -f "$f" ] || { echo "no crontab for doc" >&2; exit 1; }
  exec cat "$f"
fi
exec cp "$1" "$f"
"""

FAKE_KEYS = """{"client_id": "doc-test", "client_secret": "doc-test",
 "token_url": "https://api-int.uscis.gov/oauth/accesstoken",
 "api_base": "https://api-int.uscis.gov/case-status"}
"""


class Example:
    def __init__(self, path, line, text):
        self.path = path
        self.line = line  # the 1-based line of the page the example starts on
        self.text = text  # continuations joined


def read_examples(path):
    """The examples of one page, and the skipped blocks as (line, reason)."""
    examples, skipped = [], []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m or m.group(2) == "":
            i += 1
            continue
        lang, start = m.group(2), i
        # The block runs to the closing fence of the same indentation.
        j = i + 1
        while j < len(lines) and lines[j].strip() != "```":
            j += 1
        block = lines[i + 1 : j]
        i = j + 1
        if lang != "sh":
            continue
        before = lines[start - 1] if start > 0 else ""
        skip = SKIP.search(before)
        if skip:
            skipped.append((start + 1, skip.group(1)))
            continue
        k = 0
        while k < len(block):
            text = block[k].strip()
            first = start + 2 + k
            k += 1
            if not text.startswith("casewatch "):
                continue
            while text.endswith("\\") and k < len(block):
                text = text[:-1].rstrip() + " " + block[k].strip()
                k += 1
            examples.append(Example(path, first, text))
    return examples, skipped


def split_comment(line):
    """(the command, its comment or ''), and the unquoted `#` words that start a word."""
    quote, i, hashes = None, 0, []
    while i < len(line):
        c = line[i]
        if quote == "'":
            if c == "'":
                quote = None
        elif quote == '"':
            if c == "\\":
                i += 1
            elif c == '"':
                quote = None
        elif c == "\\":
            i += 1
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1] in " \t"):
            rest = line[i + 1 : i + 2]
            if rest in ("", " ", "\t"):
                return line[:i].rstrip(), line[i + 1 :].strip(), hashes
            hashes.append(line[i:].split()[0])
        i += 1
    return line, "", hashes


def words_bash_reads(line, env, cwd):
    """The words bash makes of `line` (globbing off), or an error message."""
    script = "set -f\nwords() { printf '%s\\0' \"$@\"; }\nwords " + line + "\n"
    p = subprocess.run(
        ["bash", "-c", script], env=env, cwd=cwd, capture_output=True, timeout=30
    )
    if p.returncode != 0:
        return None, p.stderr.decode(errors="replace").strip()
    return p.stdout.decode(errors="replace").split("\0")[:-1], None


def network_kind(words):
    """'fetch' for a command that fetches and refuses offline, 'check' for a check that
    fetches first, None for one that sends nothing."""
    if len(words) < 3:
        return None
    if words[1] in ("times", "status", "bulletin") and words[2] == "fetch":
        return "fetch"
    if words[1] == "check" and any(
        w == "--fetch" or w.startswith("--fetch-times") or w.startswith("--fetch=")
        for w in words[2:]
    ):
        return "check"
    return None


def prepare(directory, binary, source_dir):
    bindir = os.path.join(directory, "bin")
    os.makedirs(bindir)
    os.makedirs(os.path.join(directory, "tmp"))
    os.symlink(os.path.abspath(binary), os.path.join(bindir, "casewatch"))
    crontab = os.path.join(bindir, "crontab")
    with open(crontab, "w") as f:
        f.write(FAKE_CRONTAB)
    os.chmod(crontab, 0o755)
    config = os.path.join(directory, ".config", "casewatch")
    os.makedirs(config, mode=0o700)
    keys = os.path.join(config, "uscis-api.json")
    with open(keys, "w") as f:
        f.write(FAKE_KEYS)
    os.chmod(keys, 0o600)
    files = os.path.join(source_dir, "tests", "docs", "files")
    for name in sorted(os.listdir(files)):
        src = os.path.join(files, name)
        if name.endswith(".sql"):
            db = sqlite3.connect(os.path.join(directory, name[: -len(".sql")]))
            with open(src, encoding="utf-8") as f:
                db.executescript(f.read())
            db.commit()
            db.close()
        else:
            shutil.copyfile(src, os.path.join(directory, name))
    return {
        "PATH": bindir + ":/usr/bin:/bin",
        "HOME": directory,
        "TMPDIR": os.path.join(directory, "tmp"),
        "CASEWATCH_DB": os.path.join(directory, "cases.db"),
        "CASEWATCH_TODAY": TODAY,
        "CASEWATCH_NOW": NOW,
        "CASEWATCH_USER": "doc",
        "CASEWATCH_OFFLINE": "1",
        "TZ": "UTC",
        "NO_COLOR": "1",
        "LC_ALL": "C.UTF-8",
    }


def check(example, env, cwd):
    """None when the example passed, else what went wrong."""
    command, comment, hashes = split_comment(example.text)
    if hashes:
        return (
            f"an unquoted {' '.join(hashes)} starts a word: bash reads it and the rest of "
            f"the line as a comment; quote it ('{hashes[0]}')"
        )
    try:
        shown = shlex.split(command)
    except ValueError as e:
        return f"the page's line does not split as shell words: {e}"
    read, error = words_bash_reads(example.text, env, cwd)
    if error is not None:
        return f"bash cannot read the line: {error}"
    if read != shown:
        return f"bash reads the words {read!r}, the page shows {shown!r}"
    p = subprocess.run(
        ["bash", "-c", example.text],
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
    )
    out = p.stdout.decode(errors="replace")
    err = p.stderr.decode(errors="replace")
    ran = f"exit {p.returncode}\n--- stdout\n{out}--- stderr\n{err}---"
    kind = network_kind(shown)
    if kind == "fetch":
        if p.returncode == 2 and "offline" in err:
            return None
        return f"a network command, run offline, did not give its offline refusal\n{ran}"
    if kind == "check":
        if p.returncode == 0 and "offline" in err:
            return None
        return f"a check that fetches, run offline, did not warn and check\n{ran}"
    announced = ANNOUNCED_EXIT.search(comment)
    expected = int(announced.group(1)) if announced else 0
    if p.returncode != expected:
        return f"exit {p.returncode}, the page announces {expected}\n{ran}"
    return None


def main(argv):
    if len(argv) < 4:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    binary, source_dir, pages = argv[1], argv[2], argv[3:]
    failures, ran = 0, 0
    for page in pages:
        path = os.path.join(source_dir, page)
        examples, skipped = read_examples(path)
        for line, reason in skipped:
            print(f"{page}:{line}: block not run: {reason}")
        if not examples:
            print(f"{page}: no ```sh examples")
            continue
        with tempfile.TemporaryDirectory(prefix="casewatch-docs-") as directory:
            env = prepare(directory, binary, source_dir)
            for ex in examples:
                ran += 1
                problem = check(ex, env, directory)
                if problem is None:
                    print(f"{page}:{ex.line}: ok: {ex.text}")
                else:
                    failures += 1
                    print(f"{page}:{ex.line}: FAILED: {ex.text}\n{problem}\n")
    print(f"{ran} examples run, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
