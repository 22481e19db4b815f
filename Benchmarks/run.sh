#!/usr/bin/env bash
# Reproduces every figure of BENCHMARKS.md: release build, whole-process timings with hyperfine
# (median of several runs), peak memory with GNU time. Needs ../shared (fixtures and rulegen),
# hyperfine and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in hyperfine python3 /usr/bin/time; do
  command -v "$tool" > /dev/null || { echo "Benchmarks/run.sh needs $tool (apt-get install -y hyperfine python3 time)" >&2; exit 1; }
done
SHARED=${BULWARK_SHARED:-../shared}
WORK=${TMPDIR:-/tmp}/bulwark-bench
mkdir -p "$WORK"
swift build -c release --product bulwark >/dev/null
BIN=$(swift build -c release --show-bin-path)/bulwark
TUM=$SHARED/fixtures/iptables/tum-chair-2016-06-27.iptables-save

median() {  # median wall time in seconds of a command, over $RUNS runs after a warm-up
  hyperfine --style none --warmup 1 --runs "${RUNS:-7}" --export-json "$WORK/h.json" "$1" >/dev/null 2>&1
  python3 -c "import json; print('%.3f' % json.load(open('$WORK/h.json'))['results'][0]['median'])"
}
peak() {  # peak resident memory in MiB
  /usr/bin/time -f %M sh -c "$1" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f", $1/1024}'
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r), $(swift --version 2>/dev/null | head -1)"
echo
echo "| work | input | median (s) | peak memory (MiB) |"
echo "|---|---|---|---|"
cmd="$BIN firewall analyze $TUM --format json > /dev/null"
echo "| firewall analyze --format json | TUM (5,556 rules) | $(median "$cmd") | $(peak "$cmd") |"
NFT=$SHARED/fixtures/nftables/parsing__dumps__large_rule_pipe.json-nft
cmd="$BIN firewall analyze $NFT --format json > /dev/null"
echo "| firewall analyze --format json | firewalld nftables (148 rules) | $(median "$cmd") | $(peak "$cmd") |"
for n in 1000 3000 10000 30000 100000; do
  for seed in 1 2 3; do
    f=$WORK/rulegen-$seed-$n.iptables-save
    [ -f "$f" ] || "$SHARED/tools/rulegen" "$seed" "$n" > "$f"
    cmd="$BIN firewall analyze $f --format json > /dev/null"
    RUNS=$([ "$n" -ge 100000 ] && echo 3 || echo 5)
    echo "| firewall analyze --format json | rulegen $seed $n | $(RUNS=$RUNS median "$cmd") | $(peak "$cmd") |"
  done
done
P=$WORK/tum-packets.jsonl
[ -f "$P" ] || python3 Benchmarks/packets.py "$TUM" 1 100000 > "$P"
cmd="$BIN firewall query $TUM --chain FORWARD --in eth1.110 --out eth1.96 --packets $P > /dev/null"
t=$(median "$cmd")
echo "| firewall query --packets (100,000 packets) | TUM | $t ($(python3 -c "print('%.1f' % ($t * 1e6 / 100000))") µs a packet) | $(peak "$cmd") |"

# The estate: the example (full reachability of the default services, and the check), and
# generated estates of growing size (Benchmarks/estategen.py) for the zone-pair matrix of ten
# services.
SERVICES="--service ssh --service rdp --service smb --service http --service https --service tcp/5432 --service tcp/8080 --service dns --service tcp/3306 --service tcp/1433"
cmd="$BIN network matrix Examples/northwind $SERVICES --format json > /dev/null"
echo "| network matrix, 10 services --format json | Examples/northwind | $(median "$cmd") | $(peak "$cmd") |"
cmd="$BIN network check Examples/northwind --format json > /dev/null; true"
echo "| network check --format json | Examples/northwind | $(median "$cmd") | $(peak "$cmd") |"
for size in "50 25 1000" "100 50 1000" "200 100 1000"; do
  set -- $size
  d=$WORK/estate-$1-$2-$3
  [ -f "$d/bulwark.yaml" ] || python3 Benchmarks/estategen.py "$d" --zones "$1" --firewalls "$2" --rules "$3" --seed 1 > /dev/null
  cmd="$BIN network matrix $d $SERVICES --format json > /dev/null"
  echo "| network matrix, 10 services --format json | generated: $1 zones, $2 firewalls × $3 rules | $(RUNS=3 median "$cmd") | $(peak "$cmd") |"
done
d=$WORK/estate-200-100-1000
cmd="$BIN network check $d --format json > /dev/null; true"
echo "| network check --format json | generated: 200 zones, 100 firewalls × 1000 rules | $(RUNS=3 median "$cmd") | $(peak "$cmd") |"

# The inventory: the SharpHound sample, a generated AD of 100k users / 60k computers / 120k groups
# (~5.9M edges; Benchmarks/gen-sharphound.py) and a generated 100 MB .nessus (Benchmarks/gen-nessus.py),
# each through `bulwark inventory` (reading, merging, enrichment; the JSON of millions of edges is
# written too).
SAMPLE=$SHARED/fixtures/bloodhound/ad-sample-v6
cmd="$BIN inventory $SAMPLE --format json > /dev/null"
echo "| inventory --format json | SharpHound sample (31 files, 1,479 principals, 12,536 edges) | $(median "$cmd") | $(peak "$cmd") |"
AD=$WORK/ad-100k
[ -d "$AD" ] || python3 Benchmarks/gen-sharphound.py "$AD" --users 100000 --computers 60000 --groups 120000 --seed 1 > /dev/null
cmd="$BIN inventory $AD --format text > /dev/null"
echo "| inventory --format text | generated AD: 100k users, 60k computers, 120k groups | $(RUNS=3 median "$cmd") | $(peak "$cmd") |"
cmd="$BIN inventory $AD --format json > /dev/null"
echo "| inventory --format json | generated AD: 100k users, 60k computers, 120k groups | $(RUNS=3 median "$cmd") | $(peak "$cmd") |"
NESSUS=$WORK/nessus-100mb
[ -f "$NESSUS/scan.nessus" ] || { mkdir -p "$NESSUS"; python3 Benchmarks/gen-nessus.py "$NESSUS/scan.nessus" --hosts 1200 --seed 1 > /dev/null; }
cmd="$BIN inventory $NESSUS --format json > /dev/null"
echo "| inventory --format json | generated .nessus, 98 MB (1,200 hosts, 35,848 items) | $(RUNS=5 median "$cmd") | $(peak "$cmd") |"

# The main job on the example estate: every engine, every report written.
cmd="$BIN analyze Examples/northwind --out $WORK/northwind-report"
echo "| analyze Examples/northwind (every engine, all reports written) | Examples/northwind | $(median "$cmd") | $(peak "$cmd") |"

# The attack graph: every principal's hops to Tier Zero on the generated AD (whole process, ingest
# included), and the same distances from networkx over the edges `bulwark inventory` writes.
cmd="$BIN exposure $AD --format json > /dev/null"
echo "| exposure --format json | generated AD: 100k users, 60k computers, 120k groups | $(RUNS=3 median "$cmd") | $(peak "$cmd") |"
search=$(BULWARK_STATS=1 $BIN exposure $AD --format json 2>&1 >/dev/null | awk '/exposure search/ {print $3}')
echo "| (of which the search from Tier Zero) | | $search | |"
$BIN inventory $AD --format json > "$WORK/ad-100k-inventory.json"
$BIN exposure $AD --format json > "$WORK/ad-100k-exposure.json"
nx=$(python3 Benchmarks/networkx_exposure.py "$WORK/ad-100k-inventory.json" "$WORK/ad-100k-exposure.json" | tail -1)
echo "| networkx $(python3 -c "import json,sys; d=json.loads(sys.argv[1]); print('%s: graph built %.1f s, search %.2f s' % (d['networkx'], d['build_seconds'], d['search_seconds']))" "$nx") | same edges | | |"

# The attack graph of a generated estate: 200 zones, 100 firewalls x 1,000 rules, 10,000 hosts with
# nmap and Nessus scans (Benchmarks/gen-attack-estate.py): the whole graph plus the shortest and most
# likely way from every entry point to every crown jewel, the blast radius of the internet, the
# cheapest fix, and one what-if on the built graph (its own timing, from the JSON).
A=$WORK/attack-200-100-1000-10000
[ -f "$A/bulwark.yaml" ] || python3 Benchmarks/gen-attack-estate.py "$A" --zones 200 --firewalls 100 --rules 1000 --hosts 10000 --seed 1 > /dev/null
cmd="$BIN paths $A --to crown-jewels --format json > /dev/null"
echo "| paths --to crown-jewels --format json | generated: 10,000 hosts, 200 zones, 100 firewalls × 1000 rules | $(RUNS=5 median "$cmd") | $(peak "$cmd") |"
cmd="$BIN blast-radius $A --from zone:internet --format json > /dev/null"
echo "| blast-radius --from zone:internet --format json | same | $(RUNS=3 median "$cmd") | $(peak "$cmd") |"
cmd="$BIN remediate $A --to crown-jewels --format json > /dev/null"
echo "| remediate --to crown-jewels --format json | same | $(RUNS=3 median "$cmd") | $(peak "$cmd") |"
w=$($BIN whatif $A --add "patch CVE-2017-0144" --format json | python3 -c "import json,sys; print('%.1f ms' % (json.load(sys.stdin)['seconds'] * 1000))")
echo "| whatif --add 'patch CVE-2017-0144' (on the built graph) | same | $w | |"

# The Monte Carlo: 100 FAIR scenarios x 100,000 trials (Benchmarks/gen-fair-scenarios.py), and the
# same scenarios through pyfair (PyPI) with its PERT (--pert moments), side by side.
F=$WORK/fair-100.csv
[ -f "$F" ] || python3 Benchmarks/gen-fair-scenarios.py 100 --seed 1 > "$F"
cmd="$BIN risk simulate $F --trials 100000 --pert moments --format json > /dev/null"
echo "| risk simulate, 100 scenarios × 100,000 trials (whole process) | Benchmarks/gen-fair-scenarios.py 100 | $(median "$cmd") | $(peak "$cmd") |"
$BIN risk simulate "$F" --trials 100000 --pert moments --format json > "$WORK/fair-100.json"
python3 -c "import pyfair" 2>/dev/null && echo "| pyfair, same scenarios: $(python3 Benchmarks/pyfair_compare.py "$F" "$WORK/fair-100.json" | tail -1) | | | |"
cmd="$BIN controls value $A --format json > /dev/null"
echo "| controls value (every control: 12,807 dropping rules in place screened and group-tested, facts, and the changes not in place; 100,000 trials) | generated: 10,000 hosts, 200 zones, 100 firewalls × 1000 rules | $(RUNS=3 median "$cmd") | $(peak "$cmd") |"
cmd="$BIN risk controls $A --format json > /dev/null"
echo "| risk controls (every change on an attack path behind the register valued) | generated: 10,000 hosts, 200 zones, 100 firewalls × 1000 rules | $(RUNS=3 median "$cmd") | $(peak "$cmd") |"
