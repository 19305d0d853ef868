#!/usr/bin/env python3
"""Header accuracy on real *scans*: number, full date and issuer against meta.json, and the share
of emitted numbers that are well-formed (must be 100%: a number is never a garbage value).

    python3 scripts/scan_accuracy.py [REAL_DIR] [--kehoach BIN] [--jobs N] [--from JSONL]
                                     [--hold-out LIST] [--save JSONL]

REAL_DIR (default ../shared/real) holds the documents, MANIFEST.tsv and meta.json. The files of
kinds `scanned`, `scanned-badocr` and `image` are run (OCR: slow; set KEHOACH_OCR_CACHE=DIR to
keep the readings between runs). `--from` scores the JSON Lines of an earlier
`kehoach ingest --stdout` run instead of running kehoach; `--save` keeps this run's.
`--hold-out LIST` (one file name a line, `#` comments) scores those files apart and prints only
their totals, so that a developer does not see what they got wrong while tuning.

Well-formed: digits, `/`, then the document code (letters, digits, `-`, `&`, `.`, `(`, `)`),
the whole value and nothing else. `suffix as printed`: of the emitted numbers, those whose part
after `/` equals meta.json's. Comparison of values as in real_accuracy.py.
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from real_accuracy import load, norm  # noqa: E402

SCAN_KINDS = {"scanned", "scanned-badocr", "image"}
FIELDS = ["number", "date", "issuer"]
WELL_FORMED = re.compile(r"^\d{1,6}[a-zA-Z]?/[A-Za-zĐđ0-9&.()]+(?:-[A-Za-zĐđ0-9&.()]+)*$")


def main():
    args = sys.argv[1:]
    real, binary, jobs, saved = "../shared/real", "target/release/kehoach", "1", None
    held_list, save = None, None
    i = 0
    while i < len(args):
        if args[i] in ("--kehoach", "--jobs", "--from", "--hold-out", "--save"):
            value = args[i + 1]
            if args[i] == "--kehoach":
                binary = value
            elif args[i] == "--jobs":
                jobs = value
            elif args[i] == "--hold-out":
                held_list = value
            elif args[i] == "--save":
                save = value
            else:
                saved = value
            i += 2
        else:
            real = args[i]
            i += 1
    meta, kinds = load(real)
    files = sorted(f for f, k in kinds.items() if k in SCAN_KINDS and f in meta)
    if saved:
        lines = open(saved, encoding="utf-8").read().splitlines()
    else:
        out = subprocess.run(
            [binary, "ingest", "--stdout", "-q", "-j", jobs, *[os.path.join(real, f) for f in files]],
            capture_output=True, text=True)
        lines = out.stdout.splitlines()
        if save:
            open(save, "w", encoding="utf-8").write(out.stdout)
    got = {}
    for line in lines:
        doc = json.loads(line)
        d = doc["document"]
        values = {"number": d.get("number"), "date": d.get("date"), "issuer": d.get("issuer"),
                  "stamps": len(doc["source"].get("stamps", [])),
                  "unread": sum(w.get("code") == "handwritten_field_unread"
                                for w in doc.get("warnings", []))}
        got[os.path.basename(doc["source"]["path"])] = values
        for page_file in doc["source"].get("files", []):
            got[os.path.basename(page_file)] = values
    held = set()
    if held_list:
        for row in open(held_list, encoding="utf-8"):
            row = row.split("#", 1)[0].strip()
            if row:
                held.add(row)
    rows = [("all", files, True)]
    if held:
        rows = [("developed on", [f for f in files if f not in held], True),
                ("held out", [f for f in files if f in held], False), ("all", files, False)]
    table = [report(name, subset, meta, got, show) for name, subset, show in rows]
    print()
    print("| set | files | number | full date | issuer | numbers emitted | well-formed | suffix as printed |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(table))


def report(name, files, meta, got, show):
    """Scores `files`, printing each file's marks when `show`; returns the table row."""
    score = {f: 0 for f in FIELDS}
    emitted = well = as_printed = 0
    for f in files:
        g = got.get(f, {})
        marks = []
        for field in FIELDS:
            want, have = norm(meta[f].get(field)), norm(g.get(field))
            if want == have:
                score[field] += 1
                marks.append(f"{field}=ok")
            else:
                marks.append(f"{field}: {g.get(field)!r} want {meta[f].get(field)!r}")
        number = g.get("number")
        if number is not None:
            emitted += 1
            well += bool(WELL_FORMED.match(number))
            want = meta[f].get("number") or ""
            as_printed += number.split("/", 1)[-1] == want.split("/", 1)[-1]
        if f not in got:
            marks = ["no document (failed or merged)"]
        else:
            marks.append(f"stamps={g['stamps']} unread={g['unread']}")
        if show:
            print(f + "\n      " + "; ".join(marks))
    n = len(files) or 1
    cells = [f"{score[x]}/{len(files)} ({100 * score[x] / n:.0f}%)" for x in FIELDS]
    share = f"{well}/{emitted} ({100 * well / (emitted or 1):.0f}%)"
    return f"| {name} | {len(files)} | " + " | ".join(cells) + f" | {emitted} | {share} | {as_printed}/{emitted} |"


if __name__ == "__main__":
    main()
