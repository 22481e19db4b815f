#!/usr/bin/env python3
"""Generates a synthetic estate for benchmarking `bulwark network`.

    python3 Benchmarks/estategen.py OUTDIR [--zones 200] [--firewalls 100] [--rules 1000] [--seed 1]

Writes OUTDIR/bulwark.yaml and one iptables-save export per firewall (OUTDIR/fw-NNN.iptables-save).
The estate is shaped like a hierarchical enterprise network: an internet zone; a few edge firewalls
facing the internet, a DMZ and a core transit zone; distribution firewalls each joining the core to a
distribution zone and some leaf zones; most zones are leaves (offices, server rooms, plants) behind
one distribution firewall, some behind two. No `routes:` are declared, so any path through the placed
firewalls may be taken. Each firewall holds about `--rules` rules in the filter table: conntrack
first, jumps per interface pair into user chains, and in them accepts, drops, rejects and logs on
the zones' subnets and hosts, common service ports, multiport lists and ranges, plus the odd broad
or shadowed rule real rulesets have. The manifest also has a policy (rules and required flows) and
hosts, so that `network check` has something to check.

Deterministic: the same arguments give byte-identical output. BENCHMARKS.md uses the default size
(200 zones, 100 firewalls x 1,000 rules) and smaller ones to show how cost grows.
"""
import argparse
import os
import random

SERVICES = [22, 25, 53, 80, 88, 123, 135, 139, 161, 389, 443, 445, 502, 636, 1433, 1521, 3306, 3389,
            5432, 5900, 5985, 6379, 8080, 8443, 9200, 27017, 20000, 4840, 2049, 9000]
UDP = {53, 123, 161}
KINDS = ["corp", "datacenter", "ot", "management", "guest", "dmz", "cloud", "other"]
TRUST = {"corp": "medium", "datacenter": "high", "ot": "high", "management": "high", "guest": "untrusted",
         "dmz": "low", "cloud": "medium", "other": "medium"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--zones", type=int, default=200)
    ap.add_argument("--firewalls", type=int, default=100)
    ap.add_argument("--rules", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    estate = generate(a.outdir, zones=a.zones, firewalls=a.firewalls, rules=a.rules, seed=a.seed)
    print(f"{a.outdir}: {len(estate['zones'])} zones, {estate['firewalls']} firewalls, {estate['rules']} rules")


def generate(outdir, zones=200, firewalls=100, rules=1000, seed=1):
    """Writes the estate into outdir (as the command line does) and returns what other generators
    build on (Benchmarks/gen-attack-estate.py): a dict with `zones` [(name, kind, cidrs or None)],
    `cidr` {zone: network}, `faces` [the zones each firewall fw-NNN faces, in interface order],
    `edges` (how many of the first firewalls face the internet), `hosts` [(name, address, zone,
    crown jewel)] as the manifest declares them, `firewalls` and `rules` (the filter rules written)."""
    a = argparse.Namespace(outdir=outdir, zones=zones, firewalls=firewalls, rules=rules, seed=seed)
    rng = random.Random(a.seed)
    os.makedirs(a.outdir, exist_ok=True)
    Z, F, R = max(a.zones, 6), max(a.firewalls, 3), max(a.rules, 20)

    # Zones: 0 internet, 1 core transit, 2 dmz; then distribution zones, then leaves. Zone i owns
    # 10.(i // 16).((i % 16) * 16).0/20.
    zones = [("internet", "internet", ["0.0.0.0/0"]), ("core", "datacenter", None), ("dmz", "dmz", None)]
    edges = max(1, min(3, F // 20))
    dists = F - edges
    nd = max(1, min(dists, (Z - 3) // 6))
    for i in range(nd):
        zones.append((f"dist-{i:03d}", "corp", None))
    for i in range(Z - len(zones)):
        zones.append((f"zone-{i:03d}", rng.choice(KINDS), None))
    cidr = {}
    for i, (name, kind, c) in enumerate(zones):
        cidr[name] = c[0] if c else f"10.{i // 16}.{(i % 16) * 16}.0/20"

    def base(z):
        a_, b_, c_, _ = cidr[z].split("/")[0].split(".")
        return int(a_), int(b_), int(c_)

    def host(z):
        if z == "internet":
            return f"{rng.choice([198, 203, 185, 91])}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}/32"
        x, y, w = base(z)
        return f"{x}.{y}.{w + rng.randrange(16)}.{rng.randrange(1, 255)}/32"

    def subnet(z):
        if z == "internet":
            return rng.choice(["0.0.0.0/0", f"{rng.choice([198, 203, 185])}.{rng.randrange(256)}.0.0/16"])
        x, y, w = base(z)
        return rng.choice([cidr[z], f"{x}.{y}.{w + rng.randrange(16)}.0/24", f"{x}.{y}.{w + rng.randrange(16)}.{rng.randrange(16) * 16}/28"])

    # Firewalls: edges face internet, dmz, core; distribution firewalls face core, one distribution
    # zone and leaves. Every leaf sits behind one distribution firewall, a fifth behind a second.
    leaves = [z[0] for z in zones[3 + nd:]]
    faces = []
    for e in range(edges):
        faces.append(["internet", "dmz", "core"])
    for d in range(dists):
        faces.append(["core", f"dist-{d % nd:03d}"])
    for k, leaf in enumerate(leaves):
        faces[edges + k % dists].append(leaf)
        if rng.random() < 0.2:
            other = edges + rng.randrange(dists)
            if leaf not in faces[other]:
                faces[other].append(leaf)
    # Keep at most 6 interfaces: spill extra leaves onto the least loaded distribution firewall.
    for f in range(edges, F):
        while len(faces[f]) > 6:
            leaf = faces[f].pop()
            target = min(range(edges, F), key=lambda g: len(faces[g]))
            if leaf in faces[target]:
                faces[f].insert(2, leaf)
                break
            faces[target].append(leaf)

    # The zone graph must be connected (every zone reachable from the internet).
    adj = {z[0]: set() for z in zones}
    for fz in faces:
        for x in fz:
            adj[x].update(y for y in fz if y != x)
    seen, todo = {"internet"}, ["internet"]
    while todo:
        for y in adj[todo.pop()]:
            if y not in seen:
                seen.add(y)
                todo.append(y)
    assert len(seen) == len(zones), f"zone graph not connected: {len(zones) - len(seen)} zones cut off"

    total = 0
    for f in range(F):
        name = f"fw-{f:03d}"
        ifaces = {z: f"eth{k}" for k, z in enumerate(faces[f])}
        lines = ["# Generated by iptables-save v1.8.9 on Sat Nov 28 12:00:00 2026", "*filter",
                 ":INPUT DROP [0:0]", ":FORWARD DROP [0:0]", ":OUTPUT ACCEPT [0:0]"]
        pairs = [(x, y) for x in faces[f] for y in faces[f] if x != y]
        chains = [f"{ifaces[x]}-{ifaces[y]}" for x, y in pairs]
        lines += [f":{c} - [0:0]" for c in chains]
        body = ["-A INPUT -i lo -j ACCEPT", "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                f"-A INPUT -s {cidr['core'] if 'core' in cidr else '10.0.0.0/8'} -p tcp -m tcp --dport 22 -j ACCEPT",
                "-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                "-A FORWARD -m conntrack --ctstate INVALID -j DROP"]
        for (x, y), c in zip(pairs, chains):
            body.append(f"-A FORWARD -i {ifaces[x]} -o {ifaces[y]} -j {c}")
        budget = R - len(body) - len(chains)
        per = max(1, budget // len(chains))
        for (x, y), c in zip(pairs, chains):
            for _ in range(per):
                r = rng.random()
                port = rng.choice(SERVICES)
                proto = "udp" if port in UDP else "tcp"
                src = host(x) if rng.random() < 0.5 else subnet(x)
                dst = host(y) if rng.random() < 0.6 else subnet(y)
                if r < 0.62:
                    body.append(f"-A {c} -s {src} -d {dst} -p {proto} -m {proto} --dport {port} -j ACCEPT")
                elif r < 0.72:
                    ports = ",".join(str(p) for p in sorted(rng.sample([p for p in SERVICES if p not in UDP], 3)))
                    body.append(f"-A {c} -s {src} -d {dst} -p tcp -m multiport --dports {ports} -m comment --comment \"app {rng.randrange(1000)}\" -j ACCEPT")
                elif r < 0.78:
                    lo = rng.choice([1024, 8000, 9000, 10000, 49152])
                    body.append(f"-A {c} -s {src} -d {dst} -p tcp -m tcp --dport {lo}:{lo + rng.choice([10, 100, 1000])} -j ACCEPT")
                elif r < 0.86:
                    body.append(f"-A {c} -s {src} -d {dst} -p {proto} -m {proto} --dport {port} -j DROP")
                elif r < 0.9:
                    body.append(f"-A {c} -s {src} -p tcp -m tcp --dport {port} -j REJECT --reject-with icmp-port-unreachable")
                elif r < 0.93:
                    body.append(f"-A {c} -s {src} -d {dst} -p icmp -m icmp --icmp-type 8 -j ACCEPT")
                elif r < 0.96:
                    body.append(f"-A {c} -d {dst} -p {proto} -m {proto} --dport {port} -j LOG --log-prefix \"{c} {port} \"")
                elif r < 0.98:
                    # The broad rule someone added in a hurry.
                    body.append(f"-A {c} -p tcp -m tcp --dport {rng.choice([22, 3389, 445])} -m comment --comment \"temporary\" -j ACCEPT")
                else:
                    body.append(f"-A {c} -s {subnet(x)} -d {subnet(y)} -j ACCEPT")
            body.append(f"-A {c} -j DROP")
        lines += body + ["COMMIT", "# Completed on Sat Nov 28 12:00:00 2026"]
        total += len(body)
        with open(os.path.join(a.outdir, f"{name}.iptables-save"), "w") as out:
            out.write("\n".join(lines) + "\n")

    # The manifest: zones, firewalls, a policy over random pairs, required flows, hosts.
    m = ["# Generated by Benchmarks/estategen.py; see its header.", "version: 1",
         f"name: Generated estate (seed {a.seed}, {Z} zones, {F} firewalls x {R} rules)", "zones:"]
    for name, kind, _ in zones:
        trust = "untrusted" if kind == "internet" else TRUST[kind]
        m.append(f"  - {{ name: {name}, kind: {kind}, trust: {trust}, cidrs: [{cidr[name]}] }}")
    m.append("firewalls:")
    for f in range(F):
        m.append(f"  - name: fw-{f:03d}\n    format: iptables-save\n    file: fw-{f:03d}.iptables-save\n    placement:\n      kind: network\n      interfaces:")
        for k, z in enumerate(faces[f]):
            m.append(f"        - {{ name: eth{k}, zone: {z} }}")
    m += ["policy:", "  default: deny", "  rules:"]
    names = [z[0] for z in zones]
    used = set()
    for _ in range(min(50, len(names) * (len(names) - 1))):
        x, y = rng.sample(names, 2)
        if (x, y) in used:
            continue
        used.add((x, y))
        allow = sorted(set(rng.sample(SERVICES, rng.randrange(1, 4))))
        m.append(f"    - {{ from: {x}, to: {y}, allow: [{', '.join(('udp/' if p in UDP else 'tcp/') + str(p) for p in allow)}] }}")
    m.append("  required:")
    for x, y in list(sorted(used))[:10]:
        m.append(f"    - {{ from: {x}, to: {y}, service: tcp/443 }}")
    m.append("hosts:")
    hosts = []
    for h in range(20):
        z = rng.choice(names[1:])
        x, y, w = base(z)
        address = f"{x}.{y}.{w + rng.randrange(16)}.{rng.randrange(1, 255)}"
        hosts.append((f"host-{h:02d}", address, z, h % 5 == 0))
        m.append(f"  - {{ name: host-{h:02d}, addresses: [{address}], role: server{', crown-jewel: true' if h % 5 == 0 else ''} }}")
    with open(os.path.join(a.outdir, "bulwark.yaml"), "w") as out:
        out.write("\n".join(m) + "\n")
    return {"zones": zones, "cidr": cidr, "faces": faces, "edges": edges, "hosts": hosts, "firewalls": F, "rules": total}


if __name__ == "__main__":
    main()
