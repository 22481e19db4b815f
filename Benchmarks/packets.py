#!/usr/bin/env python3
"""Packets for the query benchmark: N packets in netfilter-oracle's line format, addresses drawn from
the prefixes a ruleset names (80%) or at random (20%), TCP/UDP/ICMP, common and random ports.

    packets.py RULESET SEED N > packets.jsonl"""
import json, random, re, sys

rules, seed, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
prefixes = []
for m in re.finditer(r"-[sd] (\d+\.\d+\.\d+\.\d+)/(\d+)", open(rules).read()):
    a = [int(x) for x in m.group(1).split(".")]
    prefixes.append(((a[0] << 24) | (a[1] << 16) | (a[2] << 8) | a[3], int(m.group(2))))

def address():
    if not prefixes or rng.random() < 0.2:
        v = rng.getrandbits(32)
    else:
        base, length = rng.choice(prefixes)
        v = base | (rng.getrandbits(32 - length) if length < 32 else 0)
    return ".".join(str((v >> s) & 255) for s in (24, 16, 8, 0))

out = sys.stdout
for _ in range(n):
    proto = rng.choice(["tcp", "tcp", "udp", "icmp"])
    p = {"src": address(), "dst": address(), "proto": proto}
    if proto != "icmp":
        p["sport"] = 40000
        p["dport"] = rng.choice([22, 25, 53, 80, 443, 3306, rng.randrange(1, 65536)])
    out.write(json.dumps(p) + "\n")
