#!/usr/bin/env python3
"""mocheck's benchmark harness: one command, one table.

    python3 bench/run.py                      # 1,000, 10,000 and 100,000 records
    python3 bench/run.py --sizes 1000,10000   # a quicker run

For each size it generates (once, cached under bench-out/) a synthetic decisions repository
with shared/bench/gen_corpus.py, laid out one record per file and 100 records per file. On
each it measures, with warm page cache and the median of --runs runs:

  floor   `mocheck parse-only`: walk, read and run the YAML parser over every file, build
          nothing. The same walk, reader, parser and thread pool as a check.
  check   `mocheck check --format json` with the full built-in ruleset, output discarded.

It prints wall time, CPU time (user + system) and peak memory (max RSS) for both, and the
ratio of check to floor. Last, the time to check one record, process start to exit. Timings
come from GNU time (/usr/bin/time); nothing here asserts a speed, it only reports one.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TODAY = "2026-11-23"


def run_timed(args):
    """Runs a command with GNU time; returns (wall s, cpu s, max rss MB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", out.name, *args],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        wall, user, system, rss_kb = out.read().split()[-4:]
    return float(wall), float(user) + float(system), int(rss_kb) / 1024


def median_of(args, runs):
    run_timed(args)  # warm the page cache and the binary
    samples = [run_timed(args) for _ in range(runs)]
    return tuple(statistics.median(sample[i] for sample in samples) for i in range(3))


def corpus(out_dir, generator, records, per_file):
    path = os.path.join(out_dir, f"corpus-{records}-{per_file}")
    if not os.path.isdir(path):
        subprocess.run([sys.executable, generator, path, "--records", str(records),
                        "--per-file", str(per_file)], check=True, stdout=subprocess.DEVNULL)
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", default=os.path.join(ROOT, "bench-out"))
    parser.add_argument("--generator", default=os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py"))
    parser.add_argument("--no-build", action="store_true", help="use target/release/mocheck as it is")
    options = parser.parse_args()

    if not options.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    binary = os.path.join(ROOT, "target", "release", "mocheck")
    os.makedirs(options.out, exist_ok=True)

    rows = []
    for records in [int(size) for size in options.sizes.split(",")]:
        for per_file in (1, 100):
            path = corpus(options.out, options.generator, records, per_file)
            floor = median_of([binary, "parse-only", path], options.runs)
            check = median_of([binary, "check", path, "--format", "json", "--today", TODAY], options.runs)
            rows.append((records, per_file, floor, check))
            print(f"measured {records} records, {per_file} per file", file=sys.stderr)

    one = corpus(options.out, options.generator, 1, 1)
    single = []
    for _ in range(21):
        started = time.perf_counter()
        subprocess.run([binary, "check", one, "--format", "json", "--today", TODAY],
                       stdout=subprocess.DEVNULL, check=False)
        single.append(time.perf_counter() - started)

    print(f"nproc {os.cpu_count()}; median of {options.runs} warm runs; times in seconds, memory in MB\n")
    print("| records | per file | floor wall | floor CPU | check wall | check CPU | check peak memory | check / floor (wall) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for records, per_file, floor, check in rows:
        print(f"| {records:,} | {per_file} | {floor[0]:.2f} | {floor[1]:.2f} | {check[0]:.2f} | "
              f"{check[1]:.2f} | {check[2]:.0f} | {check[0] / max(floor[0], 0.01):.2f} |")
    print(f"\none record, process start to exit: median {statistics.median(single) * 1000:.1f} ms "
          f"of 21 runs")


if __name__ == "__main__":
    main()
