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
               (`check --interpreter`), the oracle the compiled evaluator is tested against.

It prints wall time for all four, CPU time (user + system) and peak memory (max RSS) for
the check, and the ratio of check to each floor. Last, the time to check one record,
process start to exit. Wall time is the parent's clock; CPU time and peak memory are the
child's own, from wait4(2). Nothing here asserts a speed, it only reports one.

A second table measures every command on the same corpora, each against the JSON check
(its time and its memory): `check --format` json, sarif, junit, human, table, github and
markdown, `report --decision REF` (the first record of the first file) and
`report --assurance`, all with `--today`. A quick run of a few of them:

    python3 bench/run.py --sizes 10000 --layouts 100 --commands json,human --no-floors
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


# The second table: each command's arguments after the corpus path.
COMMANDS = {
    "json": ["check", "--format", "json"],
    "sarif": ["check", "--format", "sarif"],
    "junit": ["check", "--format", "junit"],
    "human": ["check", "--format", "human"],
    "table": ["check", "--format", "table"],
    "github": ["check", "--format", "github"],
    "markdown": ["check", "--format", "markdown"],
    "decision": ["report", "--decision", None],
    "assurance": ["report", "--assurance"],
}


def first_reference(path):
    """The reference of the first record of the first file, in the order a walk takes."""
    for folder, folders, files in os.walk(path):
        folders.sort()
        for name in sorted(files):
            if name.endswith((".yaml", ".yml")):
                with open(os.path.join(folder, name), encoding="utf-8") as text:
                    for line in text:
                        if line.startswith("reference:"):
                            return line.split(":", 1)[1].strip().strip('"')
    raise SystemExit(f"no record with a reference under {path}")


def command_rows(binary, path, names, runs):
    """(name, (wall, cpu, rss)) for each command named, the JSON check first."""
    rows = []
    reference = None
    for name in ["json", *[name for name in names if name != "json"]]:
        args = list(COMMANDS[name])
        if None in args:
            reference = reference or first_reference(path)
            args[args.index(None)] = reference
        rows.append((name, median_of([binary, args[0], path, *args[1:], "--today", TODAY], runs)))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", default=os.path.join(ROOT, "bench-out"))
    parser.add_argument("--layouts", default="1,100", help="records per file, e.g. 1,100")
    parser.add_argument("--generator", default=os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py"),
                        help="the corpus generator, gen_corpus.py; the default is where the project "
                             "keeps it beside this repository (../shared/bench), which a clone of "
                             "the repository alone does not have")
    parser.add_argument("--binary", help="measure this mocheck binary (implies --no-build)")
    parser.add_argument("--no-build", action="store_true", help="use target/release/mocheck as it is")
    parser.add_argument("--no-interpreter", action="store_true", help="skip the interpreter column")
    parser.add_argument("--no-floors", action="store_true",
                        help="skip the first table (floors, check, interpreter) and the one-record time")
    parser.add_argument("--commands", default=",".join(COMMANDS),
                        help=f"the second table's rows, comma-separated, from {','.join(COMMANDS)}; "
                             "'none' skips it (the JSON check is always measured, as the reference)")
    options = parser.parse_args()
    names = [] if options.commands == "none" else options.commands.split(",")
    unknown = [name for name in names if name not in COMMANDS]
    if unknown:
        parser.error(f"unknown command {', '.join(unknown)}; known: {', '.join(COMMANDS)}")

    if not (options.no_build or options.binary):
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    binary = options.binary or os.path.join(ROOT, "target", "release", "mocheck")
    os.makedirs(options.out, exist_ok=True)

    rows = []
    commands = []
    for records in [int(size) for size in options.sizes.split(",")]:
        for per_file in [int(layout) for layout in options.layouts.split(",")]:
            path = corpus(options.out, options.generator, records, per_file)
            if names:
                commands.append((records, per_file, command_rows(binary, path, names, options.runs)))
                print(f"measured the commands on {records} records, {per_file} per file", file=sys.stderr)
            if options.no_floors:
                continue
            floor = median_of([binary, "parse-only", path], options.runs)
            tree = median_of([binary, "parse-only", "--tree", path], options.runs)
            command = [binary, "check", path, "--format", "json", "--today", TODAY]
            check = median_of(command, options.runs)
            interpreter = (None if options.no_interpreter
                           else median_of([*command, "--interpreter"], options.runs))
            rows.append((records, per_file, floor, tree, check, interpreter))
            print(f"measured {records} records, {per_file} per file", file=sys.stderr)

    print(f"nproc {os.cpu_count()}; median of {options.runs} warm runs; times in seconds, memory in MB\n")
    if commands:
        print_commands(commands)
    if options.no_floors:
        return

    one = corpus(options.out, options.generator, 1, 1)
    single = []
    for _ in range(21):
        started = time.perf_counter()
        subprocess.run([binary, "check", one, "--format", "json", "--today", TODAY],
                       stdout=subprocess.DEVNULL, check=False)
        single.append(time.perf_counter() - started)

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


def print_commands(commands):
    """The second table: every command, and its time and memory over the JSON check's."""
    print("| records | per file | command | time | CPU | memory | time / json | memory / json |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|")
    for records, per_file, rows in commands:
        json = rows[0][1]
        for name, (wall, cpu, rss) in rows:
            shown = " ".join(arg for arg in COMMANDS[name] if arg) + (" REF" if None in COMMANDS[name] else "")
            print(f"| {records:,} | {per_file} | `{shown}` | {wall:.3f} | {cpu:.3f} | {rss:.0f} | "
                  f"{wall / json[0]:.2f} | {rss / json[2]:.2f} |")
    print()


if __name__ == "__main__":
    main()
