#!/usr/bin/env bash
# kehoach's one entry point for a fresh Debian machine.
#   bash scripts/dev.sh demo   install what is missing, build, run `kehoach ingest samples -o out`
#   bash scripts/dev.sh test   install what is missing, build, run the whole test suite
# Installs are idempotent: a package already present is not fetched again.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# Debian packages: Tesseract 5 with the Vietnamese, English and orientation models, the C
# libraries tesseract-rs links to, the tools tests use to make scanned fixtures, and
# LibreOffice Writer without a GUI, which converts Word 97-2003 .doc, .odt and .rtf to DOCX.
APT_PACKAGES=(tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng tesseract-ocr-osd
  libtesseract-dev libleptonica-dev pkg-config clang libclang-dev
  fonts-liberation2 libreoffice-writer-nogui)
# PDFium comes from the pypdfium2 wheel (PDFium build 8149), installed into a project folder.
PYPDFIUM2_VERSION=5.15.2

need_apt=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$p")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "dev.sh: installing Debian packages: ${need_apt[*]}" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

tools="$root/.tools"
pdfium="$tools/pypdfium2/pypdfium2_raw/libpdfium.so"
if [ ! -f "$pdfium" ]; then
  echo "dev.sh: installing pypdfium2==$PYPDFIUM2_VERSION (for libpdfium.so) into .tools/" >&2
  python3 -m pip install --quiet --disable-pip-version-check --no-deps --target "$tools/pypdfium2" "pypdfium2==$PYPDFIUM2_VERSION"
fi
export KEHOACH_PDFIUM="$pdfium"
# Tesseract's OpenMP makes every page ~9x slower unless this is set before the process starts:
# for the engine's unit tests, which run Tesseract in the test process (kehoach starts its
# OCR helper with it set).
export OMP_THREAD_LIMIT=1

case "${1:-}" in
  demo)
    cargo build --release --locked
    rm -rf out
    ./target/release/kehoach ingest samples -o out
    echo "dev.sh: wrote $(ls out/*.json | wc -l) documents and out/index.jsonl" >&2
    ;;
  test)
    cargo test --release --locked --all-targets
    cargo test --release --locked --doc
    ;;
  *)
    echo "usage: bash scripts/dev.sh demo|test" >&2
    exit 2
    ;;
esac
