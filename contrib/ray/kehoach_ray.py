#!/usr/bin/env python3
"""Run `kehoach ingest` over a folder on a Ray cluster, one task per shard.

Each task runs `kehoach ingest INPUT --shard K/N -o OUTPUT` on a node, so the input and output
folders must be the same paths on every node (a shared file system, or object storage mounted
on each node). kehoach itself does the work and the bookkeeping: each shard writes its
documents atomically and its own `index.K-of-N.jsonl`, and a shard started again skips what it
had finished. The driver lists the inputs, submits the N tasks, shows progress, submits a
failed task again (up to --retries times), and at the end folds the shard indexes into
`index.jsonl` with `kehoach index merge`. Listing and merging run as tasks too, so the driver
itself needs no access to the files and may run anywhere (a laptop with RAY_ADDRESS=ray://…).

    python kehoach_ray.py /data/scans -o /data/out                  # a local Ray on this machine
    RAY_ADDRESS=ray://head:10001 python kehoach_ray.py /data/scans -o /data/out   # a cluster
    ray job submit -- python kehoach_ray.py /data/scans -o /data/out               # KubeRay

Exit status: 0 every input done; 1 some inputs failed (their rows in index.jsonl say why);
2 a shard still failed after its retries, or the command line is wrong.

For tests, KEHOACH_RAY_FAIL_ONCE=K makes shard K's first attempt kill its kehoach (SIGKILL)
once it has recorded a document, and fail, as a node lost mid-shard would.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import ray

FAIL_ONCE_ENV = "KEHOACH_RAY_FAIL_ONCE"


def list_inputs(root: Path, output: Path) -> list[Path]:
    """The files kehoach will find under `root` (hidden ones and the output folder skipped)."""
    if root.is_file():
        return [root]
    out = []
    skip = output.resolve()
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and (here / d).resolve() != skip
        )
        out.extend(here / f for f in sorted(filenames) if not f.startswith("."))
    return out


def count_rows(index: Path) -> int:
    """Rows of an index file that name a document or an input (lines a kill cut are not)."""
    try:
        with index.open("rb") as f:
            return sum(1 for line in f if line.endswith(b"\n"))
    except FileNotFoundError:
        return 0


class ShardFailed(RuntimeError):
    pass


@ray.remote(max_retries=0)
def run_shard(kehoach: str, inputs: str, output: str, shard: int, shards: int,
              jobs: int, extra: list[str], fail_once: bool) -> dict:
    """One shard: `kehoach ingest` on this node. Exit 0 or 1 (some inputs failed, each with
    its row) is a finished shard; anything else (killed, wrong command line) is a failure."""
    cmd = [kehoach, "ingest", inputs, "-o", output, "--shard", f"{shard}/{shards}",
           "--jobs", str(jobs), "--quiet", *extra]
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    started = time.monotonic()
    if fail_once:
        marker = Path(output) / ".kehoach-ray" / f"failed-once-{shard}-of-{shards}"
        if not marker.exists():
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
            index = Path(output) / f"index.{shard}-of-{shards}.jsonl"
            proc = subprocess.Popen(cmd, env=env, stderr=subprocess.DEVNULL)
            while proc.poll() is None and count_rows(index) == 0:
                time.sleep(0.05)
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
            proc.wait()
            raise ShardFailed(f"shard {shard}/{shards}: killed on purpose ({FAIL_ONCE_ENV})")
    proc = subprocess.run(cmd, env=env, stderr=subprocess.PIPE, text=True)
    summary = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
    if proc.returncode not in (0, 1):
        raise ShardFailed(
            f"shard {shard}/{shards} on {os.uname().nodename}: kehoach exited "
            f"{proc.returncode}: {proc.stderr.strip()[-2000:]}")
    return {"shard": shard, "code": proc.returncode, "summary": summary,
            "seconds": time.monotonic() - started, "node": os.uname().nodename}


@ray.remote(max_retries=2)
def merge_index(kehoach: str, output: str) -> tuple[str, int]:
    """`kehoach index merge` on a node; its summary line and the inputs that failed."""
    proc = subprocess.run([kehoach, "index", "merge", output], stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise ShardFailed(f"kehoach index merge {output}: {proc.stderr.strip()}")
    failed = 0
    with (Path(output) / "index.jsonl").open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            failed += row.get("part") is None and row["status"] != "ok"
    return proc.stderr.strip(), failed


@ray.remote(num_cpus=0)
def count_inputs(inputs: str, output: str) -> int | None:
    """Files under the input folder, as a node sees it (None: it sees no such path)."""
    root = Path(inputs)
    return len(list_inputs(root, Path(output))) if root.exists() else None


def default_shards(files: int, cpus: float, cpus_per_task: int) -> int:
    """About four tasks per slot, so a retried shard is a small share of the work, and no more
    tasks than files."""
    slots = max(1, int(cpus) // max(1, cpus_per_task))
    return max(1, min(files, 4 * slots))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", type=Path, help="folder (or file) to ingest, the same path on every node")
    ap.add_argument("-o", "--output", type=Path, required=True,
                    help="output folder, the same path on every node")
    ap.add_argument("--shards", type=int, help="tasks to split into (default: 4 per task slot)")
    ap.add_argument("--cpus-per-task", type=int, default=1,
                    help="cores each task reserves and kehoach --jobs (default 1)")
    ap.add_argument("--retries", type=int, default=3,
                    help="times a failed shard is submitted again (default 3)")
    ap.add_argument("--kehoach", default=os.environ.get("KEHOACH_BIN", "kehoach"),
                    help="the kehoach program on the nodes (default: $KEHOACH_BIN, or kehoach on their PATH)")
    ap.add_argument("--num-cpus", type=int,
                    help="cores of the local Ray started when RAY_ADDRESS is not set (default: all)")
    ap.epilog = "Options after -- go to kehoach ingest (e.g. -- --lang vie+eng --pages-per-folder)."
    argv = sys.argv[1:] if argv is None else argv
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    args = ap.parse_args(argv[:argv.index("--")] if "--" in argv else argv)

    # Paths as the nodes see them: the driver itself reads no file, so it may run anywhere
    # (a laptop with RAY_ADDRESS=ray://…); where it sees the output folder too, it also counts
    # the index rows written so far.
    inputs = Path(os.path.abspath(args.input))
    output = Path(os.path.abspath(args.output))
    kehoach = args.kehoach  # resolved on each node (its PATH) unless a path

    if os.environ.get("RAY_ADDRESS"):
        ray.init()  # the cluster RAY_ADDRESS names (KubeRay's `ray job submit` sets it)
    else:
        # address="local": always a fresh local Ray. A bare ray.init() would instead join
        # whatever /tmp/ray/ray_current_cluster names, even a cluster long dead.
        ray.init(address="local", num_cpus=args.num_cpus)
    found = ray.get(count_inputs.remote(str(inputs), str(output)))
    if found is None:
        print(f"kehoach-ray: {inputs}: no such file or folder on the nodes", file=sys.stderr)
        return 2
    files = found
    cpus = ray.cluster_resources().get("CPU", 1)
    shards = args.shards or default_shards(files, cpus, args.cpus_per_task)
    fail_once = os.environ.get(FAIL_ONCE_ENV)
    print(f"kehoach-ray: {files} files under {inputs} in {shards} shards "
          f"on {int(cpus)} cores ({args.cpus_per_task} per task)", file=sys.stderr)

    task = run_shard.options(num_cpus=args.cpus_per_task)

    def submit(k: int):
        return task.remote(kehoach, str(inputs), str(output), k, shards, args.cpus_per_task,
                           extra, fail_once == str(k))

    pending = {submit(k): k for k in range(shards)}
    attempts = {k: 1 for k in range(shards)}
    results: dict[int, dict] = {}
    lost: dict[int, str] = {}
    started = time.monotonic()
    tty = sys.stderr.isatty()
    while pending:
        ready, _ = ray.wait(list(pending), num_returns=1, timeout=2.0)
        for ref in ready:
            k = pending.pop(ref)
            try:
                results[k] = ray.get(ref)
                r = results[k]
                print(f"kehoach-ray: shard {k}/{shards} on {r['node']} in {r['seconds']:.0f} s: "
                      f"{r['summary']}", file=sys.stderr)
            except Exception as e:  # a task's exception, or its worker or node lost
                reason = str(e).strip().splitlines()[-1] if str(e).strip() else type(e).__name__
                if attempts[k] <= args.retries:
                    attempts[k] += 1
                    print(f"kehoach-ray: shard {k}/{shards} failed ({reason}); "
                          f"attempt {attempts[k]} of {args.retries + 1}", file=sys.stderr)
                    pending[submit(k)] = k
                else:
                    lost[k] = reason
                    print(f"kehoach-ray: shard {k}/{shards} failed {attempts[k]} times, "
                          f"giving up: {reason}", file=sys.stderr)
        rows = sum(count_rows(output / f"index.{k}-of-{shards}.jsonl") for k in range(shards))
        line = (f"kehoach-ray: {len(results)}/{shards} shards done, {rows} index rows "
                f"({files} files), {time.monotonic() - started:.0f} s")
        print(("\r" + line) if tty else line, end="" if tty else "\n", file=sys.stderr, flush=True)
    if tty:
        print(file=sys.stderr)

    merged, failed_inputs = ray.get(merge_index.remote(kehoach, str(output)))
    print("kehoach-ray: " + merged, file=sys.stderr)
    retried = sum(a - 1 for a in attempts.values())
    print(f"kehoach-ray: {shards - len(lost)} of {shards} shards finished ({retried} retries), "
          f"{failed_inputs} inputs failed; index: {output / 'index.jsonl'}", file=sys.stderr)
    if lost:
        return 2
    return 1 if failed_inputs else 0


if __name__ == "__main__":
    sys.exit(main())
