#!/usr/bin/env bash
# Whole-process timing of the natcheck CLI against the project's own servers on loopback.
#
#   benchmarks/cli-timing.sh            # build if needed, then measure
#   RUNS=30 benchmarks/cli-timing.sh    # more hyperfine runs
#
# 1. Starts stun-server.jar (RFC 5780: 127.0.0.1 with alternate 127.0.0.2, plus ::1) and
#    whoami-server.jar (127.0.0.1 and ::1) as separate processes on free ports.
# 2. Times a full natcheck run with hyperfine: every non-loopback interface, both families,
#    the symmetric check (OTHER-ADDRESS for IPv4, a second server for IPv6), JVM start included:
#    plain `java -jar`, then the launcher with its JDK 25 AOT cache (trained first), and
#    `--local` (servers in process) through the launcher.
# 3. Measures the TCP fallback after an ICMP reject: UDP to a closed port on loopback, the
#    launcher's -v log line "TCP fallback started X ms after the reject", over FALLBACK_RUNS runs.
#
# Only loopback addresses are used. Every server started here is stopped by its PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-20}
FALLBACK_RUNS=${FALLBACK_RUNS:-20}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java=$JAVA_HOME/bin/java

cli_jar=natcheck-cli/target/natcheck.jar
stun_jar=stun-server/target/stun-server.jar
whoami_jar=whoami-server/target/whoami-server.jar
if [ ! -f "$cli_jar" ] || [ ! -f "$stun_jar" ] || [ ! -f "$whoami_jar" ]; then
  ./mvnw -q package -DskipTests
fi
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

# A port free on 127.0.0.1, 127.0.0.2 and ::1 for UDP and TCP at the moment of asking.
free_port() {
  python3 - <<'EOF'
import socket
while True:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    try:
        for family, kind, host in [(socket.AF_INET, socket.SOCK_DGRAM, "127.0.0.2"),
                                   (socket.AF_INET6, socket.SOCK_DGRAM, "::1"),
                                   (socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1"),
                                   (socket.AF_INET6, socket.SOCK_STREAM, "::1")]:
            t = socket.socket(family, kind)
            t.bind((host, port))
            t.close()
        print(port)
        break
    except OSError:
        continue
EOF
}

wait_for_line() { # file, text
  for _ in $(seq 1 200); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "timed out waiting for '$2' in $1:" >&2
  cat "$1" >&2
  exit 1
}

stun_port=$(free_port)
alt_port=$(free_port)
stun6_port=$(free_port)
whoami_port=$(free_port)

"$java" -jar "$stun_jar" --listen 127.0.0.1 --alternate 127.0.0.2 --port "$stun_port" \
  --alt-port "$alt_port" --rate-limit 100000:200000 2>"$work/stun4.log" &
pids+=($!)
"$java" -jar "$stun_jar" --listen ::1 --port "$stun6_port" --rate-limit 100000:200000 2>"$work/stun6a.log" &
pids+=($!)
"$java" -jar "$stun_jar" --listen ::1 --port "$alt_port" --rate-limit 100000:200000 2>"$work/stun6b.log" &
pids+=($!)
"$java" -jar "$whoami_jar" --listen 127.0.0.1 --listen ::1 --port "$whoami_port" 2>"$work/whoami.log" &
pids+=($!)
wait_for_line "$work/stun4.log" "listening on"
wait_for_line "$work/stun6a.log" "listening on"
wait_for_line "$work/stun6b.log" "listening on"
wait_for_line "$work/whoami.log" "listening on"

# --no-gateway: these runs probe this machine's real interfaces (against servers on loopback), and
# natcheck would otherwise ask their real default gateway; only loopback may be reached here.
servers=(-s "127.0.0.1:$stun_port" -s "[::1]:$stun6_port" -s "[::1]:$alt_port" --tcp-port "$whoami_port" --no-gateway)
launcher=natcheck-cli/bin/natcheck
cache=natcheck-cli/target/natcheck.aot

echo "== one run, to show what is being timed"
NATCHECK_AOT=off "$launcher" "${servers[@]}" -o brief
echo

echo "== AOT training run (writes $cache)"
rm -f "$cache"
NATCHECK_AOT_TRAIN=1 "$launcher" "${servers[@]}" -q -o brief >/dev/null
NATCHECK_AOT_TRAIN=1 NATCHECK_AOT_CACHE="$work/local.aot" "$launcher" --local -q -o brief >/dev/null
ls -l "$cache"
echo

echo "== machine load before timing: $(cut -d' ' -f1-3 /proc/loadavg) (2 shared cores)"
hyperfine -N --warmup 3 --runs "$RUNS" --export-markdown "$work/timing.md" \
  -n "java -jar natcheck.jar (no AOT, default JVM flags)" \
  "$java -jar $cli_jar ${servers[*]} -q -o brief" \
  -n "bin/natcheck without AOT cache (C1, SerialGC)" \
  "env NATCHECK_AOT=off $launcher ${servers[*]} -q -o brief" \
  -n "bin/natcheck with AOT cache" \
  "$launcher ${servers[*]} -q -o brief" \
  -n "bin/natcheck --local with AOT cache (servers in process)" \
  "env NATCHECK_AOT_CACHE=$work/local.aot $launcher --local -q -o brief"
cat "$work/timing.md"
echo "== machine load after timing: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

echo "== TCP fallback after an ICMP reject ($FALLBACK_RUNS runs)"
closed=$(free_port)
for _ in $(seq 1 "$FALLBACK_RUNS"); do
  "$launcher" -4 -s "127.0.0.1:$closed" --tcp-port "$whoami_port" --no-gateway -v -o brief 2>&1 >/dev/null \
    | sed -n 's/.*TCP fallback started \([0-9.]*\) ms after the reject.*/\1/p'
done | sort -n | awk '{v[NR]=$1} END {printf "fallback latency ms: min %.3f  median %.3f  max %.3f  (n=%d)\n", v[1], v[int((NR+1)/2)], v[NR], NR}'
hyperfine -N --warmup 2 --runs "$RUNS" -n "bin/natcheck, UDP rejected, TCP fallback answers" \
  "$launcher -s 127.0.0.1:$closed -s [::1]:$closed --tcp-port $whoami_port --no-gateway -q -o brief" | grep -E "Time|Range"
