#!/usr/bin/env bash
# Build the plain-text training corpus for the restoration language model from Debian packages
# with clear licences (see rules/SOURCES.md). Build-time tool: not run by tests or CI.
#   scripts/build_corpus.sh OUTDIR
# Writes OUTDIR/libreoffice-help.txt, OUTDIR/libreoffice-ui.txt, OUTDIR/tesseract-vie-words.txt.
set -euo pipefail
out=${1:?usage: build_corpus.sh OUTDIR}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
# Download only (no install: the packages pull in LibreOffice itself).
apt-get download libreoffice-help-vi libreoffice-l10n-vi iso-codes >/dev/null
for f in *.deb; do dpkg-deb -x "$f" x; done
python3 - "$out" <<'PY'
import html.parser, pathlib, subprocess, sys, re
out = pathlib.Path(sys.argv[1])

class Text(html.parser.HTMLParser):
    """Visible text of a help page, one paragraph per line (script/style skipped)."""
    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0
    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag in ("p", "h1", "h2", "h3", "h4", "li", "td", "div", "br", "title"):
            self.parts.append("\n")
    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
    def handle_data(self, d):
        if not self.skip:
            self.parts.append(d)

lines = []
for p in sorted(pathlib.Path("x/usr/share/libreoffice/help/vi").rglob("*.html")):
    t = Text()
    t.feed(p.read_text(encoding="utf-8", errors="replace"))
    for l in "".join(t.parts).splitlines():
        l = " ".join(l.split())
        if l:
            lines.append(l)
# Help pages repeat navigation text: keep each line once.
seen, uniq = set(), []
for l in lines:
    if l not in seen:
        seen.add(l)
        uniq.append(l)
(out / "libreoffice-help.txt").write_text("\n".join(uniq) + "\n", encoding="utf-8")

def catalogue(mos):
  ui = []
  for mo in mos:
    po = subprocess.run(["msgunfmt", str(mo)], capture_output=True, text=True).stdout
    # msgstr blocks: join continuation strings, keep the translation only.
    for block in re.findall(r'msgstr(?:\[\d\])? ((?:".*"\n?)+)', po):
        s = "".join(re.findall(r'"(.*)"', block))
        s = s.replace("\\n", "\n").replace('\\"', '"').replace("~", "")
        for l in s.splitlines():
            l = " ".join(l.split())
            if l:
                ui.append(l)
  return "\n".join(dict.fromkeys(ui)) + "\n"

lo = sorted(p for p in pathlib.Path("x").rglob("*.mo") if "libreoffice" in str(p))
(out / "libreoffice-ui.txt").write_text(catalogue(lo), encoding="utf-8")
iso = sorted(pathlib.Path("x/usr/share/locale/vi").rglob("iso_*.mo"))
(out / "iso-codes.txt").write_text(catalogue(iso), encoding="utf-8")
PY
# Tesseract's Vietnamese word list (Apache-2.0), one word per line.
td=$(dpkg -L tesseract-ocr-vie | grep 'vie.traineddata$')
cp "$td" vie.traineddata
combine_tessdata -u vie.traineddata vie. >/dev/null
dawg2wordlist vie.lstm-unicharset vie.lstm-word-dawg "$out/tesseract-vie-words.txt" >/dev/null
# pyvi's word list (MIT), one word per line.
pyvi=$(python3 -c 'import pyvi, os; print(os.path.dirname(pyvi.__file__))' 2>/dev/null) ||
  { pip install pyvi >/dev/null && pyvi=$(python3 -c 'import pyvi, os; print(os.path.dirname(pyvi.__file__))'); }
cp "$pyvi/models/words.txt" "$out/pyvi-words.txt"
wc -lc "$out"/*.txt
