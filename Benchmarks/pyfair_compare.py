#!/usr/bin/env python3
"""Side by side: `bulwark risk simulate` against pyfair on the same FAIR scenarios.

    python3 Benchmarks/pyfair_compare.py SCENARIOS.csv BULWARK.json

SCENARIOS.csv has Identifier,Name,LEF_low,LEF_mode,LEF_high,LM_low,LM_mode,LM_high; BULWARK.json is
`bulwark risk simulate SCENARIOS.csv --format json` (its trial count is used for pyfair too). Each
scenario is a pyfair FairModel with Loss Event Frequency and Loss Magnitude as PERT estimates
(pyfair's default gamma, 4), Risk = LEF x LM per simulation. The two use different random
numbers, so their means are compared statistically: every scenario's difference must be under five
combined standard errors, and the 95th percentiles within 3%. Prints one line of agreement and the
timings as JSON on the last line; exits 1 on any disagreement.
"""
import csv
import json
import math
import sys
import time

from pyfair import FairModel


def main():
    scenarios_path, bulwark_path = sys.argv[1], sys.argv[2]
    with open(bulwark_path) as f:
        bulwark = json.load(f)
    trials = bulwark["trials"]
    ours = {s["identifier"]: s for s in bulwark["scenarios"]}
    with open(scenarios_path) as f:
        rows = list(csv.DictReader(f))
    problems = []
    started = time.perf_counter()
    results = {}
    for i, r in enumerate(rows):
        model = FairModel(name=r["Identifier"], n_simulations=trials, random_seed=i + 1)
        model.input_data("Loss Event Frequency", low=float(r["LEF_low"]), mode=float(r["LEF_mode"]), high=float(r["LEF_high"]))
        model.input_data("Loss Magnitude", low=float(r["LM_low"]), mode=float(r["LM_mode"]), high=float(r["LM_high"]))
        model.calculate_all()
        results[r["Identifier"]] = model.export_results()["Risk"].to_numpy()
    seconds = time.perf_counter() - started
    for ident, risk in results.items():
        mean = float(risk.mean())
        se = float(risk.std(ddof=1)) / math.sqrt(len(risk))
        mine = ours[ident]
        combined = math.hypot(se, mine["standard_error"])
        if combined > 0 and abs(mean - mine["annualized_loss"]) > 5 * combined:
            problems.append(f"{ident}: pyfair mean {mean:.2f}, bulwark {mine['annualized_loss']:.2f} (5 SE = {5 * combined:.2f})")
        p95 = float(sorted(risk)[math.ceil(0.95 * len(risk)) - 1])
        if p95 > 0 and abs(p95 - mine["var_95"]) / p95 > 0.03:
            problems.append(f"{ident}: pyfair 95th percentile {p95:.2f}, bulwark {mine['var_95']:.2f}")
    for p in problems[:20]:
        print(p)
    print(f"DISAGREE: {len(problems)} problems" if problems else
          f"agree: {len(results)} scenarios x {trials} trials, means within five standard errors, 95th percentiles within 3%")
    print(json.dumps({"pyfair_seconds": seconds, "bulwark_seconds": bulwark["seconds"], "scenarios": len(results), "trials": trials}))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
