#!/usr/bin/env python3
"""Metadata of the real plans (type Kế hoạch in meta.json) kehoach reads: number, date and issuer
against meta.json, and whether a title and legal bases were found.

    python3 scripts/plan_metadata.py [REAL_DIR] [--kehoach BIN]

meta.json gives no title and no list of legal bases, so for those two only presence is scored:
a title, and for legal bases the share of the document numbers cited in clauses that open with
`Căn cứ`/`Thực hiện` (on the JSON's own text) that are among the legal bases' numbers. Every value is printed, so a
wrong one shows.
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from real_accuracy import load, norm  # noqa: E402

READ = (".docx", ".doc", ".pdf", ".odt", ".rtf", ".txt")
CITES = re.compile(r"(căn cứ|thực hiện)\s+(luật|nghị định|nghị quyết|quyết định|thông tư|chỉ thị|"
                   r"kế hoạch|chương trình|kết luận|công văn|hướng dẫn|văn bản)", re.I)


NUMBER = re.compile(r"\b\d+(?:[/-][0-9A-Za-zĐđ&.]+)*[/-][A-ZĐ][0-9A-Za-zĐđ&.-]*[0-9A-Za-zĐđ]")


def key(n):
    return re.sub(r"\s", "", n).upper()


def cited_numbers(text):
    """Numbers of documents cited in a clause opened by `Căn cứ`/`Thực hiện` (split on lines and
    `;`): the reference set legal bases are scored against (recall)."""
    out = set()
    for clause in re.split(r"[\n;]", text):
        c = clause.strip().lstrip("-+•0123456789. ")
        if re.match(r"(căn cứ|thực hiện)\b", c, re.I) or CITES.match(c):
            out |= {key(m) for m in NUMBER.findall(c)}
    return out


def main():
    args = sys.argv[1:]
    real, binary = "../shared/real", "target/release/kehoach"
    if "--kehoach" in args:
        i = args.index("--kehoach")
        binary = args[i + 1]
        del args[i:i + 2]
    if args:
        real = args[0]
    meta, kinds = load(real)
    files = sorted(f for f, v in meta.items()
                   if f != "_about" and v.get("type") == "Kế hoạch" and f.lower().endswith(READ)
                   and kinds.get(f) not in ("scanned", "image"))
    out = subprocess.run([binary, "ingest", "--stdout", "-q",
                          *[os.path.join(real, f) for f in files]],
                         capture_output=True, text=True)
    got = {}
    for line in out.stdout.splitlines():
        doc = json.loads(line)
        got[os.path.basename(doc["source"]["path"])] = doc
    fields = ["number", "date", "issuer", "title", "legal_bases"]
    score = {f: 0 for f in fields}
    for f in files:
        doc = got.get(f)
        if doc is None:
            print(f"{f}\n      no document")
            continue
        d = doc["document"]
        marks = []
        for field in ("number", "date", "issuer"):
            ok = norm(meta[f].get(field)) == norm(d.get(field))
            score[field] += ok
            marks.append(f"{field}={'ok' if ok else 'WRONG'} {d.get(field)!r}"
                         + ("" if ok else f" want {meta[f].get(field)!r}"))
        title = d.get("title")
        score["title"] += bool(title)
        marks.append(f"title={title!r}")
        text = doc.get("text", "")
        cited = cited_numbers(text)
        bases = doc.get("legal_bases", [])
        found = {key(b["number"]) for b in bases if b.get("number")}
        recall = len(cited & found) / len(cited) if cited else float(not bases or True)
        score["legal_bases"] += recall
        marks.append(f"legal_bases={len(bases)}, numbered {len(cited & found)}/{len(cited)} "
                     f"of those cited by Căn cứ/Thực hiện; missed {sorted(cited - found)}")
        warn = sorted({w["code"] for w in doc.get("warnings", [])})
        marks.append(f"warnings={warn}")
        print(f + "\n      " + "\n      ".join(marks))
    n = len(files) or 1
    print("\n| plans | " + " | ".join(fields) + " | mean |")
    print("| --- |" + " --- |" * (len(fields) + 1))
    cells = [f"{score[x]}/{len(files)}" for x in fields]
    mean = sum(score.values()) / (n * len(fields))
    print(f"| {len(files)} | " + " | ".join(cells) + f" | {mean:.3f} |")


if __name__ == "__main__":
    main()
