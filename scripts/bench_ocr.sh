#!/usr/bin/env bash
# OCR benchmark: kehoach's image acquisition (Tesseract `vie` through tesseract-rs, deskew, and
# OSD when the first reading is unsure) against the Tesseract CLI on the same pages in one run,
# on one and two workers, and word accuracy on clean and degraded scans made from known text.
#   bash scripts/bench_ocr.sh            6 pages (BENCH_PAGES=N for more)
# Needs what `bash scripts/dev.sh` installs. Not a test: it prints figures.
set -euo pipefail
cd "$(dirname "$0")/.."
# (nproc before OMP_THREAD_LIMIT is set: GNU nproc honours it.)
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
export KEHOACH_PDFIUM="${KEHOACH_PDFIUM:-$(pwd)/.tools/pypdfium2/pypdfium2_raw/libpdfium.so}"
# Tesseract's OpenMP reads this when the process starts: for the Tesseract CLI it is compared
# with (kehoach starts its OCR helper with it set, see src/acquire/ocr/mod.rs).
export OMP_THREAD_LIMIT=1
cargo bench --locked --bench ocr
