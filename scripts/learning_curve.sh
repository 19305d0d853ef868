#!/usr/bin/env bash
# How held-out accuracy grows with the amount of training text (issue 3): the measurement
# behind "the stripped-text aim needs more correct text, not another decoder setting".
# Build-time tool, not run by tests or CI.
#   scripts/learning_curve.sh CORPUS_DIR [-- BENCH_ARGS…]
# CORPUS_DIR is what `scripts/build_corpus.sh CORPUS_DIR` writes (sample plans 000 and 001
# included). The model is trained as the shipped one is, then on random shares of its lines
# (1/2 and 1/4 drawn twice, 1/8 and 1/16 once), and `scripts/bench_restore.sh BENCH_ARGS…` is
# run with each model (through KEHOACH_RULES). Printed: the share, the Vietnamese lines trained
# on (the trainer skips English and code lines), and the bench's accuracy rows for stripped and
# English-model OCR input. Takes about 1.5 min a model.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=$(cd "${1:?usage: learning_curve.sh CORPUS_DIR [-- BENCH_ARGS…]}" && pwd)
shift
if [ "${1:-}" = -- ]; then shift; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$here" && cargo build --release --quiet)
bin=$here/target/release/kehoach
mkdir "$work/all"
cp "$corpus"/*.txt "$work/all/"
printf '%-8s %-6s %10s  %s\n' share draw lines "held-out accuracy (bench rows: before, after, words/s)"
for spec in "1 0" "0.5 1" "0.5 2" "0.25 1" "0.25 2" "0.125 1" "0.0625 1"; do
  read -r share draw <<< "$spec"
  text=$work/text_${share}_$draw
  rules=$work/rules_${share}_$draw
  # Each line is kept with probability `share`, drawn with a fixed seed per draw.
  python3 - "$work/all" "$text" "$share" "$draw" <<'PY'
import glob, os, random, sys
src, dst, share, draw = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
os.makedirs(dst)
rnd = random.Random(draw)
for f in sorted(glob.glob(f"{src}/*.txt")):
    lines = open(f, encoding="utf-8").read().split("\n")
    kept = [l for l in lines if share >= 1 or rnd.random() < share]
    open(f"{dst}/{os.path.basename(f)}", "w", encoding="utf-8").write("\n".join(kept) + "\n")
PY
  cp -r "$here/rules" "$rules"
  lines=$("$bin" train "$text" -o "$rules/lm" --min-trigram-count 2 2>&1 \
    | grep -o '[0-9]* Vietnamese lines used' | cut -d' ' -f1)
  KEHOACH_RULES=$rules bash "$here/scripts/bench_restore.sh" "$@" > "$work/bench.log"
  grep -E '^(marks stripped|OCR eng \(engine known\))' "$work/bench.log" \
    | sed "s/^/$(printf '%-8s %-6s %10s  ' "$share" "$draw" "$lines")/"
done
