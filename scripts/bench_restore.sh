#!/usr/bin/env bash
# Restoration benchmark (issue 3, "Measure it"). Build-time tool, not run by tests or CI.
#   scripts/bench_restore.sh [SEED_DIR]
#   scripts/bench_restore.sh --text FILE
# Held-out text: sample plans 002 and 003 (never in any training table, see rules/SOURCES.md);
# or, with --text, 220 lines drawn (fixed seed) from FILE, correct Vietnamese the model was
# not trained on: a second, other-domain check that settings chosen on the plans generalise,
# e.g. maint-guide-vi.txt as `scripts/build_corpus.sh OUT EXTRA` writes it into EXTRA.
# Inputs made from it: marks stripped; rendered + OCR'd by Tesseract eng; by Tesseract vie;
# the correct text itself; and, beside the issue's figures, the same pages as worn scans.
# Word accuracy = truth words matched in order (difflib alignment; punctuation around words
# and markdown `*` ignored; tone placement hòa/hoà counted as one).
# Speed: words/second of `kehoach restore` (release build, one process per input, model load
# included) against pyvi's ViUtils.add_accents on the same stripped input, in this one run;
# best of five runs for kehoach, of three for pyvi.
# KEHOACH_BIN=PATH measures that binary (e.g. a build of another commit) instead of building;
# KEHOACH_BEFORE=PATH also measures that one on the same inputs in the same run (before → after,
# its report first), so that the speeds compare under the same load.
# Needs: pip install pyvi pillow; tesseract-ocr-eng/vie.
set -euo pipefail
# pyvi (the speed reference) and Pillow (rendering the scans) on first use: build-time only,
# so not in scripts/dev.sh.
python3 -c 'import pyvi, PIL' 2>/dev/null \
  || python3 -m pip install --quiet --disable-pip-version-check pyvi==0.1.1 pillow
here=$(cd "$(dirname "$0")/.." && pwd)
seeds=${1:-$here/../shared/seeds}
text_file=
if [ "$seeds" = --text ]; then text_file=${2:?--text needs a file}; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# From the project folder: cargo reads .cargo/config.toml (the Tesseract `links` override)
# from the working directory, not from the manifest's.
: "${KEHOACH_BIN:=}"; [ -n "$KEHOACH_BIN" ] || (cd "$here" && cargo build --release --quiet)
bin=${KEHOACH_BIN:-$here/target/release/kehoach}
python3 - "$seeds" "$work" "$text_file" <<'PY'
import glob, random, sys, unicodedata, re
seeds, work, text_file = sys.argv[1:]
def bare(s):  # without combining marks (đ stays đ)
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
text = ""
if text_file:
    def marked(l):
        w = l.split()
        return sum(1 for x in w if x.lower() != bare(x.lower())) >= 0.4 * len(w)
    lines = [l.strip() for l in open(text_file, encoding="utf-8")]
    lines = [l for l in lines if len(l.split()) >= 8 and len(l) < 300 and marked(l)]
    random.Random(5).shuffle(lines)
    text = "\n".join(lines[:220]) + "\n"
for n in () if text_file else ("002", "003"):
    text += open(glob.glob(f"{seeds}/{n}_*.txt")[0], encoding="utf-8").read() + "\n"
text = unicodedata.normalize("NFC", text.replace("*", ""))
open(f"{work}/truth.txt", "w", encoding="utf-8").write(text)
open(f"{work}/stripped.txt", "w", encoding="utf-8").write(bare(text).replace("đ", "d").replace("Đ", "D"))
PY
scan() { # name [render args]: the truth rendered, OCR'd; writes $work/<name>_{truth,eng,vie}.txt
  local name=$1; shift
  python3 "$here/scripts/ocr_channel.py" render "$work/truth.txt" --seed 11 "$@" --out "$work/$name" 2>/dev/null
  for l in truth eng vie; do python3 "$here/scripts/ocr_channel.py" join "$work/$name" --lang $l > "$work/${name}_$l.txt"; done
}
scan ocr
# The same text as worn scans (small type, heavy blur, thresholded): where old OCR garbles most.
scan worn --harsh
measure() { # label binary: every run and the report, for one binary
  local label=$1 bin=$2
  rm -f "$work"/times "$work"/out_*.txt
  echo "== $label: $bin"
  run() { # name input [args]
    local name=$1 input=$2; shift 2
    local t0 t1
    t0=$(date +%s.%N)
    "$bin" restore "$@" "$input" > "$work/out_$name.txt"
    t1=$(date +%s.%N)
    echo "$name $(echo "$t1 - $t0" | bc)" >> "$work/times"
  }
  # Model load: a one-line input that needs no repair, so the time is process start + loading
  # the tables. (A damaged word would also build the OCR near-miss index, which the stripped runs
  # never need, and taking that off their time would flatter them.)
  echo "Kế hoạch" > "$work/one.txt"
  # Timings vary by ±25% with the machine's load: the speed runs are repeated, and each side's
  # best run counts (pyvi's too, below).
  for _ in 1 2 3 4 5; do run load "$work/one.txt"; done
  run stripped "$work/stripped.txt"
  # Speed on a larger input (the stripped text 20 times), so process start and model load weigh little.
  for _ in $(seq 20); do cat "$work/stripped.txt"; done > "$work/stripped20.txt"
  for _ in 1 2 3 4 5; do run stripped20 "$work/stripped20.txt"; done
  run ocr_eng "$work/ocr_eng.txt"
  run ocr_eng_known "$work/ocr_eng.txt" --channel ocr_eng
  run ocr_vie "$work/ocr_vie.txt"
  run ocr_vie_known "$work/ocr_vie.txt" --channel ocr_vie
  run correct "$work/truth.txt"
  run worn_eng "$work/worn_eng.txt" --channel ocr_eng
  run worn_vie "$work/worn_vie.txt" --channel ocr_vie
  python3 - "$work" <<'PY'
import difflib, sys, time, unicodedata, re
work = sys.argv[1]
TONES = "\u0300\u0301\u0303\u0309\u0323"
def old_style(w):
    d = unicodedata.normalize("NFD", w)
    tone = [c for c in d if c in TONES]
    base = unicodedata.normalize("NFC", "".join(c for c in d if c not in TONES))
    lb = base.lower()
    if tone and len(lb) >= 2 and lb[-2:] in ("oa", "oe", "uy") and not lb[-3:-2] == "q":
        base = unicodedata.normalize("NFC", base[:-1] + tone[0] + base[-1])
        return base
    return w
def words(s):
    out = []
    for w in unicodedata.normalize("NFC", s).split():
        w = w.strip(".,;:!?()[]\"'“”‘’-*…")
        if w:
            out.append(old_style(w))
    return out
def acc(truth, got):
    t, g = words(truth), words(got)
    sm = difflib.SequenceMatcher(None, t, g, autojunk=False)
    return sum(b.size for b in sm.get_matching_blocks()) / len(t), len(t)
rd = lambda n: open(f"{work}/{n}", encoding="utf-8").read()
times = {}
for l in open(f"{work}/times"):
    name, t = l.split()
    times[name] = min(times.get(name, float("inf")), float(t))
truth, otruth = rd("truth.txt"), rd("ocr_truth.txt")
print(f"one-line restore (process start + model load): {1000*float(times['load']):.0f} ms")
print(f"{'input':<34}{'before':>9}{'after':>9}{'words/s':>10}")
rows = [("marks stripped", "stripped", "stripped.txt", truth),
        ("OCR eng (detected)", "ocr_eng", "ocr_eng.txt", otruth),
        ("OCR eng (engine known)", "ocr_eng_known", "ocr_eng.txt", otruth),
        ("OCR vie (detected)", "ocr_vie", "ocr_vie.txt", otruth),
        ("OCR vie (engine known)", "ocr_vie_known", "ocr_vie.txt", otruth),
        ("worn scan, OCR eng (known)", "worn_eng", "worn_eng.txt", rd("worn_truth.txt")),
        ("worn scan, OCR vie (known)", "worn_vie", "worn_vie.txt", rd("worn_truth.txt"))]
for label, name, inp, tr in rows:
    b, n = acc(tr, rd(inp))
    a, _ = acc(tr, rd(f"out_{name}.txt"))
    wps = len(rd(inp).split()) / float(times[name])
    print(f"{label:<34}{100*b:>8.2f}%{100*a:>8.2f}%{wps:>10.0f}")
t, o = truth.split("\n"), rd("out_correct.txt").split("\n")
tw = [w for l in t for w in l.split()]
ow = [w for l in o for w in l.split()]
changed = sum(1 for x, y in zip(tw, ow) if x != y) + abs(len(tw) - len(ow))
# Tone placement (hoà → hòa) is the normalisation the user selects with --tone-style, not a
# repair: counted apart.
def placed(w):
    core = w.strip(".,;:!?()[]\"'“”‘’-*…")
    return w.replace(core, old_style(core)) if core else w
other = sum(1 for x, y in zip(tw, ow) if placed(x) != placed(y)) + abs(len(tw) - len(ow))
print(f"correct text: {changed} of {len(tw)} words changed ({100*changed/len(tw):.3f}%), "
      f"{other} ({100*other/len(tw):.3f}%) other than tone placement; "
      f"lines {len(t)} in, {len(o)} out")
from pyvi import ViUtils
stripped = rd("stripped.txt")
lines = rd("stripped20.txt").split("\n")
failed = 0
def pyvi_line(l):
    global failed
    try:
        return ViUtils.add_accents(l) if l.strip() else l
    except Exception:  # pyvi raises KeyError on some inputs; the line stays as it was
        failed += 1
        return l
dt = float("inf")
for _ in range(3):
    failed = 0
    t0 = time.time()
    pv = "\n".join(pyvi_line(l) for l in lines)
    dt = min(dt, time.time() - t0)
pv = "\n".join(pv.split("\n")[: len(stripped.split("\n"))])
pa, n = acc(truth, pv)
ka, _ = acc(truth, rd("out_stripped.txt"))
big = len(rd("stripped20.txt").split())
kw = big / float(times["stripped20"])
pw = big / dt
print(f"stripped, same input: pyvi add_accents {100*pa:.2f}% at {pw:.0f} words/s; "
      f"kehoach {100*ka:.2f}% at {kw:.0f} words/s ({kw/pw:.0f}x) [accuracy on {n} words, speed on {big}; pyvi failed on {failed} lines]")
# pyvi's time above leaves out its import (model load); kehoach's includes process start and
# model load. The same without them: the one-line run's time taken off.
kw_warm = big / (float(times["stripped20"]) - float(times["load"]))
print(f"without start-up on either side (kehoach's one-line time subtracted): "
      f"kehoach {kw_warm:.0f} words/s ({kw_warm/pw:.0f}x pyvi)")
PY
}
[ -z "${KEHOACH_BEFORE:-}" ] || measure before "$KEHOACH_BEFORE"
measure after "$bin"
