#!/usr/bin/env python3
"""Writes N FAIR scenarios for `bulwark risk simulate` (and Benchmarks/pyfair_compare.py):

    python3 Benchmarks/gen-fair-scenarios.py N [--seed S] > scenarios.csv

Each has a loss event frequency and a loss magnitude as PERT estimates (low, most likely, high) with
skewed modes, frequencies from 0.01 to about 25 a year and losses from a thousand to a few hundred
million. Deterministic for a seed.
"""
import argparse
import random

ap = argparse.ArgumentParser()
ap.add_argument("n", type=int)
ap.add_argument("--seed", type=int, default=1)
a = ap.parse_args()
rng = random.Random(a.seed)
print("Identifier,Name,LEF_low,LEF_mode,LEF_high,LM_low,LM_mode,LM_high")
for i in range(a.n):
    lo = rng.uniform(0.01, 1)
    mode = lo * rng.uniform(1, 5)
    hi = mode * rng.uniform(1, 5)
    llo = rng.uniform(1e3, 1e5)
    lmode = llo * rng.uniform(1, 10)
    lhi = lmode * rng.uniform(1, 10)
    print(f"s{i:03d},Scenario {i},{lo:.4f},{mode:.4f},{hi:.4f},{llo:.2f},{lmode:.2f},{lhi:.2f}")
