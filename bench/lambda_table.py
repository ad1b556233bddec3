#!/usr/bin/env python3
# File: bench/lambda_table.py
#
# Turns lambda_bench's JSON output into the BENCHMARKS.md table: per expression, the median
# ns/eval of the compiled lambda and of the hand-written function (from the same run, with
# repetitions interleaved at random so that both see the same phases of the machine), their
# ratio, Kapacitor's Go figure and the speed-up over it, and allocations per evaluation.
#
#   build/bench/lambda_bench --benchmark_min_time=0.1 --benchmark_repetitions=5 \
#     --benchmark_enable_random_interleaving=true --benchmark_format=json > /tmp/l.json
#   python3 bench/lambda_table.py /tmp/l.json
import json
import statistics
import sys


def main(path):
    with open(path) as f:
        data = json.load(f)
    runs = {}  # name -> {"ns": [...], "allocs": [...], "kapacitor": x}
    for b in data["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        name = b["run_name"]
        r = runs.setdefault(name, {"ns": [], "allocs": [], "kapacitor": 0})
        scale = {"ns": 1, "us": 1e3, "ms": 1e6}[b["time_unit"]]
        r["ns"].append(b["cpu_time"] * scale)
        r["allocs"].append(b.get("allocs_per_eval", 0))
        r["kapacitor"] = b.get("kapacitor_go_ns", 0)
    print("| expression | tickrun ns (median, range) | hand-written ns | ratio | "
          "Kapacitor Go ns | speed-up | allocs/eval |")
    print("|---|---|---|---|---|---|---|")
    for name, r in runs.items():
        if not name.startswith("Lambda/"):
            continue
        case = name[len("Lambda/"):]
        hand = runs.get("Hand/" + case)
        t = statistics.median(r["ns"])
        h = statistics.median(hand["ns"]) if hand else 0
        ratio = f"{t / h:.2f}×" if h else ""
        k = r["kapacitor"]
        kapacitor = f"{k:g}" if k else ""
        speedup = f"{k / t:.0f}×" if k else ""
        print(f"| {case} | {t:.2f} ({min(r['ns']):.2f}–{max(r['ns']):.2f}) | {h:.2f} | "
              f"{ratio} | {kapacitor} | {speedup} | {max(r['allocs']):g} |")


if __name__ == "__main__":
    main(sys.argv[1])
