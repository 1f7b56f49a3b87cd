#!/usr/bin/env bash
# punch-bench.sh: how long natcheck punch takes from "both sides have both tokens" to a direct path
# both sides confirmed, in the lab's pair topologies (docs/benchmarks.md, "natcheck punch").
#
#   lab/punch-bench.sh [SCENARIO...]     default: cones birthday
#
# Scenarios: cones (the six pairs of full, restricted and port-restricted cones), birthday
# (port-restricted cone against the random symmetric NAT, --birthday), sequential
# (port-restricted cone against the counting symmetric NAT), or any pair topology name
# (pair-KIND-KIND). Each pair is built once, natcheck's stun-server started in it, then RUNS
# offer/answer rounds run one after the other, tokens through files as a script would.
#
# Per round, from the two JSON reports: the offer side's confirmed_ms (its time 0 is when it read
# the answer token, the later of the two sides to have both), "both" (the later of the two sides'
# confirmations, on the offer side's clock: same host, wall clocks compared), the probes sent.
# Prints one line per round and a summary per scenario (median, 90th percentile, max).
#
# Needs root, python3 (to read the JSON) and a built natcheck.jar and stun-server.jar.
# Environment: RUNS (default 10), OUT (directory for the reports, default a new temp directory).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
runs=${RUNS:-10}
out=${OUT:-$(mktemp -d /tmp/punch-bench.XXXXXX)}
export NETLAB_ID=${NETLAB_ID:-pbench$$}
export NETLAB_QUIET=1
java=${JAVA:-$(command -v java)}
jar=$root/natcheck-cli/target/natcheck.jar
stun_jar=$root/stun-server/target/stun-server.jar

die() { echo "punch-bench: $*" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces, iptables)"
command -v python3 >/dev/null || die "needs python3 to read the JSON reports"
[ -f "$jar" ] && [ -f "$stun_jar" ] || die "build first: ./mvnw -q package -DskipTests"
[[ $runs =~ ^[0-9]+$ ]] && [ "$runs" -ge 1 ] && [ "$runs" -le 200 ] || die "RUNS must be 1..200"
mkdir -p "$out"

topology=
stun_pid=
cleanup() {
  set +e
  [ -n "$stun_pid" ] && kill "$stun_pid" 2>/dev/null
  [ -n "$topology" ] && "$here/netlab.sh" down "$topology" >/dev/null 2>&1
}
trap cleanup EXIT

# round TOPOLOGY DIR FLAGS...: one offer/answer exchange; the two reports in DIR.
round() {
  local topo=$1 dir=$2; shift 2
  mkdir -p "$dir"
  local flags=(-4 -s 203.0.113.10 -o json --stun-timeout 4s --timeout 15s "$@")
  ip netns exec "$(ns cli)" "$java" -jar "$jar" punch offer "${flags[@]}" --token-file "$dir/offer.token" \
    --answer-file "$dir/answer.token" >"$dir/offer.json" 2>"$dir/offer.err" </dev/null &
  local offer=$!
  for _ in $(seq 300); do [ -s "$dir/offer.token" ] && break; sleep 0.05; done
  [ -s "$dir/offer.token" ] || die "no offer token in $dir: $(cat "$dir/offer.err")"
  ip netns exec "$(ns peer)" "$java" -jar "$jar" punch answer "${flags[@]}" --token-file "$dir/answer.token" \
    "$(cat "$dir/offer.token")" >"$dir/answer.json" 2>"$dir/answer.err" </dev/null || true
  wait "$offer" || true
}

ns() { sed -n "s/^ns_$1=//p" "$out/$topology.facts"; }

summarise() {
  python3 - "$@" <<'PY'
import json, sys, datetime
label, dirs = sys.argv[1], sys.argv[2:]
def t(s): return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp() * 1000
offer_ms, both_ms, probes, found = [], [], [], 0
for d in dirs:
    try:
        o = json.load(open(d + "/offer.json")); a = json.load(open(d + "/answer.json"))
    except Exception as e:
        print(f"  {d}: no report ({e})"); continue
    oc, ac = o["outcome"], a["outcome"]
    line = f"  {d.rsplit('/', 1)[-1]}: prediction {o['prediction']['path']}, "
    if oc["direct_path"] and ac["direct_path"]:
        found += 1
        start = t(o["checks_started"])
        both = max(oc["confirmed_ms"], t(a["checks_started"]) + ac["confirmed_ms"] - start)
        offer_ms.append(oc["confirmed_ms"]); both_ms.append(both); probes.append(o["counts"]["probes_sent"])
        line += f"offer {oc['confirmed_ms']:.1f} ms, both {both:.1f} ms, {o['counts']['probes_sent']} probes"
    else:
        line += "no path (" + oc["ending"] + ")"
    print(line)
def stats(xs):
    if not xs: return "-"
    xs = sorted(xs); p90 = xs[min(len(xs) - 1, int(round(0.9 * (len(xs) - 1))))]
    return f"median {xs[len(xs) // 2]:.1f}, p90 {p90:.1f}, max {xs[-1]:.1f}"
print(f"{label}: {found}/{len(dirs)} found; offer ms {stats(offer_ms)}; both ms {stats(both_ms)}"
      + (f"; probes {stats(probes)}" if any(probes) else ""))
PY
}

# bench LABEL TOPOLOGY FLAGS...: RUNS rounds in one build of TOPOLOGY.
bench() {
  local label=$1 topo=$2; shift 2
  topology=$topo
  "$here/netlab.sh" up "$topo" >"$out/$topo.facts"
  ip netns exec "$(ns srv)" "$java" -jar "$stun_jar" --listen 203.0.113.10 --alternate 203.0.113.11 \
    >"$out/$topo.stun.log" 2>&1 &
  stun_pid=$!
  for _ in $(seq 100); do
    [ "$(ip netns exec "$(ns srv)" ss -Hlun | grep -c ':347[89] ')" -ge 4 ] && break
    sleep 0.1
  done
  local dirs=() i
  for ((i = 1; i <= runs; i++)); do
    round "$topo" "$out/$topo/$i" "$@"
    dirs+=("$out/$topo/$i")
  done
  kill "$stun_pid" 2>/dev/null || true
  wait "$stun_pid" 2>/dev/null || true
  stun_pid=
  "$here/netlab.sh" down "$topo" >/dev/null
  topology=
  summarise "$label $topo${*:+ $*}" "${dirs[@]}"
}

echo "punch-bench: load average before: $(cut -d' ' -f1-3 /proc/loadavg); reports in $out"
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(cones birthday)
for scenario in "${scenarios[@]}"; do
  case $scenario in
    cones)
      for pair in fullcone-fullcone fullcone-restricted fullcone-portrestricted restricted-restricted \
        restricted-portrestricted portrestricted-portrestricted; do
        bench cones "pair-$pair"
      done
      ;;
    birthday) bench birthday pair-portrestricted-symmetric --birthday ;;
    sequential) bench sequential pair-portrestricted-sequential ;;
    pair-*) bench pair "$scenario" ;;
    *) die "unknown scenario '$scenario' (cones, birthday, sequential, or a pair-KIND-KIND topology)" ;;
  esac
done
echo "punch-bench: load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
