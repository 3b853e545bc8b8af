#!/usr/bin/env python3
"""mocheck's benchmark harness: one command, one table.

    python3 bench/run.py                      # 1,000, 10,000 and 100,000 records
    python3 bench/run.py --sizes 1000,10000   # a quicker run

For each size it generates (once, cached under bench-out/) a synthetic decisions repository
with shared/bench/gen_corpus.py, laid out one record per file and 100 records per file. On
each it measures, with warm page cache and the median of --runs runs:

  floor        `mocheck parse-only`: walk, read and run the YAML parser (saphyr-parser, the
               one checks use) over every file, building nothing. The same walk, reader
               and thread pool as a check. The strict floor: the ratio is taken to this.
  tree floor   `mocheck parse-only --tree`: the same, also building each document's tree
               with a span on every key and value, as a span-keeping loader does (the
               issue's reference floor was saphyr's `MarkedYaml`). Still no records.
  check        `mocheck check --format json` with the full built-in ruleset, output
               discarded.
  interpreter  the same check with every expression on the CEL interpreter
               (`check --interpreter`), to show what the compiled fast path is worth.

It prints wall time for all four, CPU time (user + system) and peak memory (max RSS) for
the check, and the ratio of check to each floor. Last, the time to check one record,
process start to exit. Wall time is the parent's clock; CPU time and peak memory are the
child's own, from wait4(2). Nothing here asserts a speed, it only reports one.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TODAY = "2026-11-23"


def run_timed(args):
    """Runs a command; returns (wall s, cpu s, max rss MB) for that process alone."""
    started = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = 0  # reaped above; keeps Popen from waiting again
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


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
    parser.add_argument("--no-interpreter", action="store_true", help="skip the interpreter column")
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
            tree = median_of([binary, "parse-only", "--tree", path], options.runs)
            command = [binary, "check", path, "--format", "json", "--today", TODAY]
            check = median_of(command, options.runs)
            interpreter = (None if options.no_interpreter
                           else median_of([*command, "--interpreter"], options.runs))
            rows.append((records, per_file, floor, tree, check, interpreter))
            print(f"measured {records} records, {per_file} per file", file=sys.stderr)

    one = corpus(options.out, options.generator, 1, 1)
    single = []
    for _ in range(21):
        started = time.perf_counter()
        subprocess.run([binary, "check", one, "--format", "json", "--today", TODAY],
                       stdout=subprocess.DEVNULL, check=False)
        single.append(time.perf_counter() - started)

    print(f"nproc {os.cpu_count()}; median of {options.runs} warm runs; times in seconds, memory in MB\n")
    print("| records | per file | floor | tree floor | check | check CPU | check memory "
          "| check / floor | check / tree floor | interpreter |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for records, per_file, floor, tree, check, interpreter in rows:
        slow = "-" if interpreter is None else f"{interpreter[0]:.3f}"
        print(f"| {records:,} | {per_file} | {floor[0]:.3f} | {tree[0]:.3f} | {check[0]:.3f} | "
              f"{check[1]:.3f} | {check[2]:.0f} | {check[0] / floor[0]:.2f} | "
              f"{check[0] / tree[0]:.2f} | {slow} |")
    print(f"\none record, process start to exit: median {statistics.median(single) * 1000:.1f} ms "
          f"of 21 runs")


if __name__ == "__main__":
    main()
