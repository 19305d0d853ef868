#!/usr/bin/env bash
# Add worn-scan confusions to the OCR channels (build-time tool, not run by tests or CI).
#   scripts/channel_worn.sh CORPUS_DIR SEED_DIR WORK_DIR
# CORPUS_DIR is what scripts/build_corpus.sh wrote. 1,200 Vietnamese lines of the LibreOffice
# help (drawn with a fixed seed) and the lines of sample plans 000 and 001 are rendered as worn
# scans (ocr_channel.py render --harsh), OCR'd with eng and vie, counted, and the counts added
# to rules/channel/{eng,vie}.tsv. Counts are additive, so this adds to the clean-scan table
# without re-rendering it. Run once: a second run would add the same counts again.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=$1 seeds=$2 work=$3
mkdir -p "$work"
python3 - "$corpus" "$seeds" "$work" <<'PY'
import glob, random, sys
corpus, seeds, work = sys.argv[1:]
rng = random.Random(7)
def marked_share(l):
    ws = l.split()
    return sum(any(ord(c) > 127 and c.isalpha() for c in w) for w in ws) / max(1, len(ws))
help_lines = [l.strip() for l in open(f"{corpus}/libreoffice-help.txt", encoding="utf-8")
              if len(l.strip()) >= 20 and marked_share(l) >= 0.3]
lines = rng.sample(help_lines, 1200)
for n in ("000", "001"):
    text = open(glob.glob(f"{seeds}/{n}_*.txt")[0], encoding="utf-8").read().replace("*", "")
    lines += [l for l in text.splitlines() if l.strip()]
rng.shuffle(lines)
half = len(lines) // 2
open(f"{work}/a.txt", "w", encoding="utf-8").write("\n".join(lines[:half]) + "\n")
open(f"{work}/b.txt", "w", encoding="utf-8").write("\n".join(lines[half:]) + "\n")
PY
# Two renders side by side, one per core.
python3 "$here/scripts/ocr_channel.py" render "$work/a.txt" --out "$work/pa" --seed 21 --harsh &
python3 "$here/scripts/ocr_channel.py" render "$work/b.txt" --out "$work/pb" --seed 22 --harsh &
wait
for l in eng vie; do
  python3 "$here/scripts/ocr_channel.py" count "$work/pa" "$work/pb" --lang $l -o "$work/worn_$l.tsv"
  mkdir -p "$work/$l"
  python3 "$here/scripts/ocr_channel.py" merge "$here/rules/channel/$l.tsv" "$work/worn_$l.tsv" -o "$work/$l/$l.tsv"
  cp "$work/$l/$l.tsv" "$here/rules/channel/$l.tsv"
done
