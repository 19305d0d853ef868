#!/usr/bin/env python3
"""Document metadata accuracy on real documents: type, number, date, issuer against meta.json.

    python3 scripts/real_accuracy.py [REAL_DIR] [--kehoach BIN] [--jobs N]

REAL_DIR (default ../shared/real) holds the documents, MANIFEST.tsv (its `kind` column) and
meta.json (the values as printed). Only the formats kehoach reads are run: Word (.docx),
PDFs with a text layer (`e-signed`, `born-digital`, `scanned-badocr`) and page images; image-only
scans and Word 97 files are left out. The files are split before anything is looked at: every
third readable file in sorted order (the 3rd, 6th, ...) is held out, and its figures are printed
apart from the others', so a rule fitted to the files one builds on shows as a gap between the two.

A value is right when it equals meta.json's after NFC, case folding, `uỷ`/`ủy`-style tone
placement and spaces are normalised; null is right where the document leaves the value blank.
"""
import json
import os
import subprocess
import sys
import unicodedata

READ_KINDS = {"e-signed", "born-digital", "scanned-badocr", "docx", "image"}
FIELDS = ["type", "number", "date", "issuer"]

# Old and new tone placement (hòa/hoà): compare on one of them.
TONE = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
        "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
        "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}


def norm(v):
    if v is None:
        return None
    s = unicodedata.normalize("NFC", str(v)).lower()
    for a, b in TONE.items():
        s = s.replace(a, b)
    return " ".join(s.split()) or None


def load(real):
    """meta.json, and each file's kind from MANIFEST.tsv."""
    meta = json.load(open(os.path.join(real, "meta.json"), encoding="utf-8"))
    kinds = {}
    with open(os.path.join(real, "MANIFEST.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            kinds[cols[0]] = cols[4]
    return meta, kinds


def main():
    args = sys.argv[1:]
    real = "../shared/real"
    binary = "target/release/kehoach"
    jobs = "1"
    extra = []
    i = 0
    while i < len(args):
        if args[i] == "--kehoach":
            binary = args[i + 1]; i += 2
        elif args[i] == "--jobs":
            jobs = args[i + 1]; i += 2
        elif args[i] == "--":
            extra = args[i + 1:]; break
        else:
            real = args[i]; i += 1
    meta, kinds = load(real)
    files = sorted(f for f, k in kinds.items() if k in READ_KINDS and f in meta)
    held = {f for n, f in enumerate(files) if n % 3 == 2}
    out = subprocess.run(
        [binary, "ingest", "--stdout", "-q", "-j", jobs, *extra,
         *[os.path.join(real, f) for f in files]],
        capture_output=True, text=True)
    got = {}
    for line in out.stdout.splitlines():
        doc = json.loads(line)
        name = os.path.basename(doc["source"]["path"])
        d = doc["document"]
        values = {"type": d.get("type"), "number": d.get("number"),
                  "date": d.get("date"), "issuer": d.get("issuer"),
                  "review": [r["field"] for r in doc.get("review", [])]}
        got[name] = values
        # A document made of several page files stands for each of them.
        for page_file in doc["source"].get("files", []):
            got[os.path.basename(page_file)] = values
    score = {True: {f: 0 for f in FIELDS}, False: {f: 0 for f in FIELDS}}
    flagged = {True: [0, 0], False: [0, 0]}
    count = {True: 0, False: 0}
    for f in files:
        h = f in held
        count[h] += 1
        g = got.get(f, {})
        marks = []
        for field in FIELDS:
            want, have = norm(meta[f].get(field)), norm(g.get(field))
            if want == have:
                score[h][field] += 1
                marks.append(f"{field}=ok")
            else:
                marks.append(f"{field}: {g.get(field)!r} want {meta[f].get(field)!r}")
                if field in ("number", "date") and have is not None:
                    flagged[h][1] += 1
                    if "document." + field in g.get("review", []):
                        flagged[h][0] += 1
        if f not in got:
            marks = ["no document (failed or merged)"]
        print(("H " if h else "  ") + f + "\n      " + "; ".join(marks))
    print()
    print("| set | files | " + " | ".join(FIELDS) + " | wrong number/date flagged |")
    print("| --- | --- |" + " --- |" * (len(FIELDS) + 1))
    for h, label in ((False, "built on"), (True, "held out")):
        n = count[h] or 1
        cells = [f"{score[h][x]}/{count[h]} ({100 * score[h][x] / n:.0f}%)" for x in FIELDS]
        print(f"| {label} | {count[h]} | " + " | ".join(cells) + f" | {flagged[h][0]}/{flagged[h][1]} |")
    if out.returncode not in (0, 1):
        print(out.stderr, file=sys.stderr)
        sys.exit(out.returncode)


if __name__ == "__main__":
    main()
