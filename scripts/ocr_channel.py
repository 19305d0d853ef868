#!/usr/bin/env python3
"""Learn the OCR channels of the restorer from data (build-time tool, not run by tests or CI).

Correct Vietnamese text is rendered to page images (Pillow + Debian's Liberation/DejaVu fonts,
mildly blurred and noised like a scan), OCR'd by Tesseract with `eng` and with `vie`, aligned
to the truth character by character, and the confusions counted.

    ocr_channel.py render TRUTH.txt... --out DIR [--seed N] [--pages N] [--harsh]
        writes DIR/page-NNN.truth.txt, DIR/page-NNN.{eng,vie}.txt; --harsh renders worn
        scans (small type, heavy blur, thresholded), where old English-engine OCR garbles
        most (`chira` for chứa, `Du@ng` for Đường)
    ocr_channel.py count DIR... --lang eng|vie -o rules/channel/eng.tsv
        aligns truth and OCR lines, writes `intended<TAB>observed<TAB>count` rows (segments of
        up to two characters, lower case, `_` for nothing) and `#char<TAB>c<TAB>n` totals.
    ocr_channel.py join DIR --lang eng|vie
        prints the OCR text of every page in order (the benchmark's damaged input).
    ocr_channel.py merge A.tsv B.tsv... -o OUT.tsv
        adds up count tables (counts are additive, so renders made apart make one table).

Needs: pip install pillow; tesseract-ocr with eng and vie; OMP_THREAD_LIMIT=1 is set here.
"""
import argparse
import collections
import os
import pathlib
import random
import subprocess
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONTS = [
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
]
LINES_PER_PAGE = 28
WIDTH = 62  # characters per rendered line


def wrap(text):
    """Split the truth into short lines so that one image line is one truth line."""
    out = []
    for para in text.splitlines():
        words = para.split()
        cur = ""
        for w in words:
            if cur and len(cur) + 1 + len(w) > WIDTH:
                out.append(cur)
                cur = w
            else:
                cur = f"{cur} {w}" if cur else w
        if cur:
            out.append(cur)
    return out


def render_page(lines, path, rng, harsh=False):
    font_path = rng.choice([f for f in FONTS if os.path.exists(f)])
    size = rng.randint(26, 34)
    font = ImageFont.truetype(font_path, size)
    h = int(size * 1.6)
    img = Image.new("L", (int(size * WIDTH * 0.62) + 120, h * len(lines) + 120), 255)
    d = ImageDraw.Draw(img)
    for i, l in enumerate(lines):
        d.text((60, 60 + i * h), l, font=font, fill=0)
    # A scan: a little blur, resampling loss and speckle; a worn one: small type, more blur,
    # and thresholded to black and white as old scanners and faxes did.
    blur, scale = (rng.uniform(1.0, 1.3), rng.uniform(0.5, 0.6)) if harsh else (rng.uniform(0.3, 1.0), rng.uniform(0.7, 1.0))
    img = img.filter(ImageFilter.GaussianBlur(blur))
    img = img.resize((int(img.width * scale), int(img.height * scale)), Image.BILINEAR)
    if harsh:
        cut = rng.randint(130, 170)
        img = img.point(lambda p: 0 if p < cut else 255)
    px = img.load()
    for _ in range(img.width * img.height // 400):
        x, y = rng.randrange(img.width), rng.randrange(img.height)
        px[x, y] = rng.choice((0, 255))
    img.save(path)


def ocr(png, lang):
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    r = subprocess.run(
        ["tesseract", str(png), "stdout", "-l", lang, "--psm", "6"],
        capture_output=True, text=True, env=env,
    )
    return r.stdout


def cmd_render(a):
    rng = random.Random(a.seed)
    lines = []
    for t in a.truth:
        lines += wrap(unicodedata.normalize("NFC", pathlib.Path(t).read_text(encoding="utf-8")))
    if a.shuffle:
        rng.shuffle(lines)
    out = pathlib.Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    pages = [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    if a.pages:
        pages = pages[: a.pages]
    for n, page in enumerate(pages):
        png = out / f"page-{n:03}.png"
        render_page(page, png, rng, a.harsh)
        (out / f"page-{n:03}.truth.txt").write_text("\n".join(page) + "\n", encoding="utf-8")
        for lang in ("eng", "vie"):
            (out / f"page-{n:03}.{lang}.txt").write_text(ocr(png, lang), encoding="utf-8")
        png.unlink()
        print(f"page {n + 1}/{len(pages)}", file=sys.stderr)


def skel(c):
    d = unicodedata.normalize("NFD", c)
    return "".join(x for x in d if not unicodedata.combining(x)).replace("đ", "d")


def align(t, o):
    """Levenshtein alignment of two strings; a substitution that keeps the base letter is
    cheaper, so marks line up with their letters. Returns [(intended, observed)] with '' for
    nothing."""
    n, m = len(t), len(o)
    inf = float("inf")
    D = [[inf] * (m + 1) for _ in range(n + 1)]
    D[0] = [float(j) for j in range(m + 1)]
    for i in range(1, n + 1):
        D[i][0] = float(i)
        ti = t[i - 1]
        row, prev = D[i], D[i - 1]
        for j in range(1, m + 1):
            oj = o[j - 1]
            sub = 0.0 if ti == oj else (0.5 if skel(ti) == skel(oj) else 1.0)
            row[j] = min(prev[j - 1] + sub, prev[j] + 1, row[j - 1] + 1)
    ops = []
    i, j = n, m
    while i or j:
        if i and j:
            sub = 0.0 if t[i - 1] == o[j - 1] else (0.5 if skel(t[i - 1]) == skel(o[j - 1]) else 1.0)
            if D[i][j] == D[i - 1][j - 1] + sub:
                ops.append((t[i - 1], o[j - 1]))
                i, j = i - 1, j - 1
                continue
        if i and D[i][j] == D[i - 1][j] + 1:
            ops.append((t[i - 1], ""))
            i -= 1
        else:
            ops.append(("", o[j - 1]))
            j -= 1
    return ops[::-1]


def count_pair(t, o, pairs, chars):
    ops = align(t, o)
    for c in t:
        chars[c] += 1
    for x, y in zip(t, t[1:]):
        chars[x + y] += 1
    k = 0
    while k < len(ops):
        a, b = ops[k]
        if a == b:
            pairs[(a, b)] += 1
            k += 1
            continue
        # Gather a run of edits; runs of up to two characters each side are one segment
        # (ú→ii, ượ→ug), longer ones count as their single edits.
        r = k
        while r < len(ops) and ops[r][0] != ops[r][1]:
            r += 1
        run = ops[k:r]
        ti = "".join(x for x, _ in run)
        oi = "".join(y for _, y in run)
        if len(ti) <= 2 and len(oi) <= 2 and len(run) > 1:
            pairs[(ti, oi)] += 1
        else:
            for x, y in run:
                pairs[(x, y)] += 1
        k = r


def write_header(f, lang, used, skipped):
    """The comment lines of a count table; `merge` reads the line counts back from the second."""
    f.write(f"# OCR channel `{lang}`: confusions counted by scripts/ocr_channel.py\n")
    f.write(f"# from {used} rendered lines ({skipped} skipped: line counts differ)\n")
    f.write("# intended<TAB>observed<TAB>count (`_` = nothing); #char<TAB>seq<TAB>count\n")


def cmd_count(a):
    pairs, chars = collections.Counter(), collections.Counter()
    lines_used = lines_skipped = 0
    for d in a.dirs:
        for truth in sorted(pathlib.Path(d).glob("page-*.truth.txt")):
            ocr_file = truth.with_name(truth.name.replace(".truth.", f".{a.lang}."))
            tl = [l for l in truth.read_text(encoding="utf-8").splitlines() if l.strip()]
            ol = [l for l in ocr_file.read_text(encoding="utf-8").splitlines() if l.strip()]
            if len(tl) != len(ol):
                lines_skipped += len(tl)
                continue
            for t, o in zip(tl, ol):
                t = unicodedata.normalize("NFC", t).lower()
                o = unicodedata.normalize("NFC", o).lower()
                count_pair(t, o, pairs, chars)
                lines_used += 1
    with open(a.o, "w", encoding="utf-8") as f:
        write_header(f, a.lang, lines_used, lines_skipped)
        for s, n in sorted(chars.items()):
            if n >= a.min_count and s.strip() and "\t" not in s:
                f.write(f"#char\t{s}\t{n}\n")
        for (x, y), n in sorted(pairs.items(), key=lambda kv: -kv[1]):
            if n >= a.min_count and x != y and not ({"\t", "_"} & set(x + y)) and len(x) <= 2 and len(y) <= 2:
                f.write(f"{x or '_'}\t{y or '_'}\t{n}\n")
    print(f"{lines_used} lines used, {lines_skipped} skipped", file=sys.stderr)


def cmd_merge(a):
    rows, used, skipped = collections.Counter(), 0, 0
    for t in a.tables:
        for line in pathlib.Path(t).read_text(encoding="utf-8").splitlines():
            if line.startswith("# from "):
                w = line.split()
                used += int(w[2])
                skipped += int(w[5].lstrip("("))
            elif line.startswith("#char\t") or not line.startswith("#"):
                *key, n = line.split("\t")
                rows[tuple(key)] += int(n)
    lang = pathlib.Path(a.o).stem
    with open(a.o, "w", encoding="utf-8") as f:
        write_header(f, lang, used, skipped)
        for key, n in sorted(rows.items()):
            if key[0] == "#char":
                f.write("\t".join(key) + f"\t{n}\n")
        for key, n in sorted(rows.items(), key=lambda kv: (-kv[1], kv[0])):
            if key[0] != "#char":
                f.write("\t".join(key) + f"\t{n}\n")


def cmd_join(a):
    for p in sorted(pathlib.Path(a.dir).glob(f"page-*.{a.lang}.txt")):
        sys.stdout.write(p.read_text(encoding="utf-8"))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("render")
    r.add_argument("truth", nargs="+")
    r.add_argument("--out", required=True)
    r.add_argument("--seed", type=int, default=1)
    r.add_argument("--pages", type=int, default=0)
    r.add_argument("--shuffle", action="store_true")
    r.add_argument("--harsh", action="store_true")
    c = sub.add_parser("count")
    c.add_argument("dirs", nargs="+")
    c.add_argument("--lang", required=True)
    c.add_argument("-o", required=True)
    c.add_argument("--min-count", type=int, default=2)
    j = sub.add_parser("join")
    j.add_argument("dir")
    j.add_argument("--lang", required=True)
    m = sub.add_parser("merge")
    m.add_argument("tables", nargs="+")
    m.add_argument("-o", required=True)
    a = p.parse_args()
    {"render": cmd_render, "count": cmd_count, "join": cmd_join, "merge": cmd_merge}[a.cmd](a)


if __name__ == "__main__":
    main()
