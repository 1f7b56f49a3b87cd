#!/usr/bin/env bash
# What asking the gateway and tracing the path cost natcheck, whole process, JVM start included.
#
#   benchmarks/gateway-timing.sh              # build if needed, then measure
#   RUNS=30 benchmarks/gateway-timing.sh      # more hyperfine runs
#   BASE=<commit> benchmarks/gateway-timing.sh   # compare against another natcheck
#   PARTS=lab benchmarks/gateway-timing.sh    # only the lab part (PARTS=loopback: only loopback)
#
# 1. Loopback (any user): `java -jar natcheck.jar --local -q -o brief`, the README's run, against
#    the same command from BASE (default: the commit before the gateway package came in), both
#    built here, interleaved by hyperfine. --local never asks a gateway and the path probe skips
#    loopback, so this shows what the new code costs a run that does not use it.
# 2. The NAT lab (root): a home router behind a carrier NAT (`cgnat`), the project's stun-server
#    and whoami-server in the server namespace, natcheck with its defaults in the client namespace,
#    (a) with the real miniupnpd on the home router, (b) with nothing answering there, (c) with
#    --no-gateway; each run's verdict must be CG_NAT and end inside the default --timeout (5 s).
#
# Only loopback and the lab's own namespaces are used. Everything started here is stopped by PID,
# the lab topology is removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-20}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java=$JAVA_HOME/bin/java
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }

cli_jar=natcheck-cli/target/natcheck.jar
stun_jar=stun-server/target/stun-server.jar
whoami_jar=whoami-server/target/whoami-server.jar
if [ ! -f "$cli_jar" ] || [ ! -f "$stun_jar" ] || [ ! -f "$whoami_jar" ]; then
  ./mvnw -q package -DskipTests
fi

work=$(mktemp -d)
pids=()
lab_id=gt$$
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$(id -u)" -eq 0 ]; then NETLAB_ID=$lab_id NETLAB_QUIET=1 lab/netlab.sh down cgnat || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

PARTS=${PARTS:-loopback lab}
if [[ " $PARTS " == *" loopback "* ]]; then
if [ -z "${BASE:-}" ]; then
  first=$(git log --diff-filter=A --format=%H -- natcheck-cli/src/main/java/dev/natcheck/gateway/GatewaySurvey.java | tail -1)
  BASE=$first~1
fi
base_rev=$(git rev-parse --short "$BASE")
echo "== building natcheck at $base_rev (the baseline) in $work/base"
mkdir -p "$work/base"
git archive "$BASE" | tar -x -C "$work/base"
(cd "$work/base" && ./mvnw -q package -DskipTests -pl natcheck-cli -am >/dev/null)
base_jar=$work/base/natcheck-cli/target/natcheck.jar

echo "== machine load before timing: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
hyperfine -N --warmup 3 --runs "$RUNS" --export-markdown "$work/loopback.md" \
  -n "natcheck --local at $base_rev (baseline)" "$java -jar $base_jar --local -q -o brief" \
  -n "natcheck --local at $(git rev-parse --short HEAD)" "$java -jar $cli_jar --local -q -o brief"
cat "$work/loopback.md"
echo "== machine load after: $(cut -d' ' -f1-3 /proc/loadavg)"
fi

if [[ " $PARTS " != *" lab "* ]]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "== not root: the lab part is skipped"
  exit 0
fi
echo
echo "== the NAT lab: cgnat (home router behind a 100.64.0.0/10 carrier NAT)"
NETLAB_ID=$lab_id NETLAB_QUIET=1 lab/netlab.sh up cgnat >/dev/null
in_ns() { local role=$1; shift; ip netns exec "$lab_id-cgnat-$role" "$@"; }
in_ns srv "$java" -jar "$stun_jar" --listen 203.0.113.10 --alternate 203.0.113.11 2>"$work/stun.log" &
pids+=($!)
in_ns srv "$java" -jar "$whoami_jar" --listen 203.0.113.10 2>"$work/whoami.log" &
pids+=($!)
for _ in $(seq 1 300); do
  grep -q "listening on" "$work/stun.log" 2>/dev/null && grep -q "listening on" "$work/whoami.log" 2>/dev/null && break
  sleep 0.1
done
natcheck="ip netns exec $lab_id-cgnat-cli $java -jar $PWD/$cli_jar -4 -s 203.0.113.10 -q"

# The routers answer ICMP at a burst of 6 per destination, then 1 a second (Linux's icmp_ratelimit):
# runs back to back would find the path probe's hops silent. Six seconds between runs refill it.
check_verdicts() { # label, extra args: 10 runs, each must say CG_NAT and end within 5 s
  local label=$1; shift
  local wrong=0 slowest=0
  for _ in $(seq 1 10); do
    sleep 6
    local start end ms line
    start=$(date +%s%N)
    line=$($natcheck -o brief "$@" || true)
    end=$(date +%s%N)
    ms=$(((end - start) / 1000000))
    [ "$ms" -gt "$slowest" ] && slowest=$ms
    case $line in *CG_NAT*) ;; *) wrong=$((wrong + 1)); echo "   unexpected: $line" ;; esac
  done
  echo "   $label: 10 runs, $wrong not CG_NAT, slowest ${slowest} ms (default --timeout 5000 ms)"
}

echo "-- one run, to show what is timed:"
$natcheck -o text | sed -n '1,14p'
NETLAB_ID=$lab_id NETLAB_QUIET=1 lab/netlab.sh gateway cgnat miniupnpd >/dev/null
check_verdicts "miniupnpd on the home router"
hyperfine -N --warmup 2 --runs "$RUNS" --prepare "sleep 6" --export-markdown "$work/lab.md" \
  -n "cgnat, miniupnpd: natcheck (gateway + path)" "$natcheck -o brief" \
  -n "cgnat, miniupnpd: natcheck --no-gateway (path only)" "$natcheck -o brief --no-gateway"
cat "$work/lab.md"
kill "$(cat "/run/netlab/$lab_id-cgnat-cpe/miniupnpd.pid")" 2>/dev/null || true
sleep 0.5
check_verdicts "nothing on the home router's ports"
hyperfine -N --warmup 2 --runs "$RUNS" --prepare "sleep 6" --export-markdown "$work/lab-none.md" \
  -n "cgnat, no gateway daemon: natcheck (gateway + path)" "$natcheck -o brief" \
  -n "cgnat, no gateway daemon: natcheck --no-gateway (path only)" "$natcheck -o brief --no-gateway"
cat "$work/lab-none.md"
echo "== machine load after: $(cut -d' ' -f1-3 /proc/loadavg)"
