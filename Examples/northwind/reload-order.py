#!/usr/bin/env python3
"""Reads `nft -j list ruleset` output on stdin and writes it so that nft 1.0.6 can load it again:
every handle 0, and objects in the order metainfo, tables, chains, sets and maps, rules."""
import json
import sys

doc = json.load(sys.stdin)
order = {"metainfo": 0, "table": 1, "chain": 2, "set": 3, "map": 3, "rule": 4}
items = doc["nftables"]
for item in items:
    for value in item.values():
        if isinstance(value, dict) and "handle" in value:
            value["handle"] = 0
items.sort(key=lambda item: order.get(next(iter(item)), 5))
json.dump(doc, sys.stdout)
print()
