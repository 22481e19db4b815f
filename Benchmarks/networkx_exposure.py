#!/usr/bin/env python3
"""Side-by-side check of `bulwark exposure` against a networkx breadth-first search.

Reads the identity graph as `bulwark inventory ESTATE --format json` writes it (principals with
their Tier Zero mark, edges with their traversable flag), computes every principal's hops to Tier
Zero with networkx over the traversable edges, and compares them with `bulwark exposure ESTATE
--format json`. It also checks every witness: each principal's `next` must be an edge of the graph,
traversable, one hop nearer Tier Zero.

    python3 Benchmarks/networkx_exposure.py INVENTORY.json EXPOSURE.json

Prints one line of agreement and the networkx timings (graph building, then the search) as JSON on
the last line; exits 1 on any disagreement.
"""
import json
import sys
import time

import networkx as nx


def main():
    inventory_path, exposure_path = sys.argv[1], sys.argv[2]
    with open(inventory_path) as f:
        inventory = json.load(f)
    with open(exposure_path) as f:
        exposure = json.load(f)

    started = time.perf_counter()
    # The search runs against the edges: a super-source joined to every Tier Zero principal, then
    # one breadth-first search, as networkx users write a multi-source search.
    graph = nx.DiGraph()
    ids = [p["id"] for p in inventory["identities"]]
    graph.add_nodes_from(ids)
    edges = {}
    for e in inventory["edges"]:
        edges.setdefault((e["from"], e["to"]), []).append((e["kind"], e["traversable"]))
        if e["traversable"]:
            graph.add_edge(e["to"], e["from"])
    source = object()
    graph.add_node(source)
    for p in inventory["identities"]:
        if p["tier_zero"]:
            graph.add_edge(source, p["id"])
    built = time.perf_counter()
    lengths = nx.single_source_shortest_path_length(graph, source)
    searched = time.perf_counter()
    expected = {node: d - 1 for node, d in lengths.items() if node is not source}

    problems = []
    ours = {p["id"]: p for p in exposure["principals"]}
    if set(ours) != set(ids):
        problems.append(f"principal sets differ: {len(set(ours) ^ set(ids))} ids in one report only")
    for node in ids:
        mine = ours.get(node, {}).get("hops_to_tier_zero")
        theirs = expected.get(node)
        if mine != theirs:
            problems.append(f"{node}: bulwark {mine}, networkx {theirs}")
            continue
        step = ours[node].get("next")
        if mine is None or mine == 0:
            if step is not None:
                problems.append(f"{node}: a witness step where there should be none")
            continue
        if step is None:
            problems.append(f"{node}: {mine} hops but no witness step")
            continue
        kinds = edges.get((node, step["id"]), [])
        if (step["edge"], True) not in kinds:
            problems.append(f"{node}: witness step {step['edge']} to {step['id']} is not a traversable edge")
        elif ours[step["id"]]["hops_to_tier_zero"] != mine - 1:
            problems.append(f"{node}: witness step to {step['id']} is not one hop nearer")

    reached = sum(1 for d in expected.values() if d is not None)
    for p in problems[:20]:
        print(p)
    if problems:
        print(f"DISAGREE: {len(problems)} problems")
    else:
        print(f"agree: {len(ids)} principals, {reached} with a path to Tier Zero, every witness step checked")
    print(json.dumps({"networkx": nx.__version__, "principals": len(ids), "edges": len(inventory["edges"]),
                      "build_seconds": built - started, "search_seconds": searched - built}))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
