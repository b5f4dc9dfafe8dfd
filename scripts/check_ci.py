#!/usr/bin/env python3
"""Recomputes each cell's median and its distribution-free interval from the raw runs of a
gilscope JSON report (plain or merged), independently of the C code, and prints both side by side.

Usage: scripts/check_ci.py REPORT.json  (exit 1 when any cell differs)
"""
import json
import math
import sys


def interval(walls):
    n = len(walls)
    s = sorted(walls)
    med = s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2

    def cdf(k):
        return sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n

    k = 1
    while k + 1 <= (n + 1) // 2 and 2 * cdf(k) <= 0.05:
        k += 1
    return med, s[k - 1], s[n - k], (1 - 2 * cdf(k - 1)) if n > 1 else 0.0


def main(path):
    report = json.load(open(path))
    bad = 0
    for c in report["cells"]:
        walls = [r["strategy_wall_s"] for r in report["runs"]
                 if r["workload"] == c["workload"] and r["strategy"] == c["strategy"]
                 and r["workers"] == c["workers"] and r.get("source") == c.get("source") and r["status"] == "ok"
                 and not r["warmup"] and not r.get("diagnostic")]
        if not walls or c["wall_s"] is None:
            continue
        mine = interval(walls)
        theirs = (c["wall_s"]["median"], c["wall_s"]["ci_low"], c["wall_s"]["ci_high"], c["wall_s"]["ci_level"])
        same = all(abs(a - b) <= 1e-12 * max(1.0, abs(a)) for a, b in zip(mine, theirs))
        bad += not same
        print("%-8s %-10s x%-3d n=%-3d python %.6f [%.6f, %.6f] %.4f | gilscope %.6f [%.6f, %.6f] %.4f  %s"
              % ((c["workload"], c["strategy"], c["workers"], len(walls)) + mine + theirs + ("same" if same else "DIFFERENT",)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
