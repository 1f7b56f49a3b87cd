#!/usr/bin/env bash
# Drives natcheck's stun-server, coturn (turnserver --stun-only) and Vovida stund with the same
# load, one after the other, in interleaved rounds, on loopback only: answered Binding requests
# per second, loss, and each server's resident memory under load. See docs/benchmarks.md.
#
# Pinning (2 cores): the server under test runs on CPU 0 (taskset -c 0) and the load generator on
# CPU 1, so each server gets exactly one core whatever its threading (coturn starts one relay
# thread per CPU, stund is one select() loop, ours is one receive loop per socket), and the load
# generator never competes with it. Each server listens on 127.0.0.1 and 127.0.0.2 (stund needs
# two addresses), ports P and P+1; all load goes to 127.0.0.1:P.
#
# Columns: answered/s, loss, the server's RSS at the end of the measured phase, CPU time (user +
# system) per answer of the server and of the load generator over the measured phase.
#
# Environment: ROUNDS (3), THREADS (4), WINDOW (16: outstanding requests per thread; 4 x 64
# overflowed the servers' socket buffers whenever another process took CPU 0, and the 20 ms
# loss timeouts then measured the timeout, not the server),
# WARMUP (3 s, not counted), MEASURE_SECONDS (5 s measured), PADDING (0: plain 20-byte requests, which
# is why ours runs with --allow-amplification), SKIP_BUILD=1 to reuse the jars,
# LOADGEN_IO (batched: the generator sends a window with one sendmmsg and reads every queued
# answer with one recvmmsg; nio: one write/read per datagram, which costs the generator about as
# much CPU per answer as the servers spend), SOCKET_IO (auto: our server's --socket-io; nio for the
# portable path), SERVERS (natcheck coturn stund; natcheck-nio is ours with --socket-io nio).
# Every run is bounded: WARMUP + SECONDS per server and round; servers are stopped by PID.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-4}
WINDOW=${WINDOW:-16}
WARMUP=${WARMUP:-3}
SECONDS_MEASURED=${MEASURE_SECONDS:-5}
PADDING=${PADDING:-0}
LOADGEN_IO=${LOADGEN_IO:-batched}
SOCKET_IO=${SOCKET_IO:-auto}
SERVERS=${SERVERS:-natcheck coturn stund}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
java=$JAVA_HOME/bin/java

for tool in turnserver stund taskset ss; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install coturn stun-server util-linux iproute2)" >&2; exit 1; }
done
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -q -pl stun-server,benchmarks -am package -DskipTests
fi
cp=benchmarks/target/classes:stun-codec/target/classes:linux-sockets/target/classes
work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A port P with P and P+1 free for UDP on every address (random pick, checked with ss).
free_pair() {
  local p
  for _ in $(seq 50); do
    p=$(( 20000 + RANDOM % 40000 ))
    if ! ss -Huan | awk '{print $4}' | grep -Eq ":($p|$((p + 1)))\$"; then
      echo "$p"; return
    fi
  done
  echo "no free port pair" >&2; exit 1
}

start_server() { # name port
  local name=$1 p=$2
  case $name in
    natcheck|natcheck-nio)
      local io=$SOCKET_IO
      if [ "$name" = natcheck-nio ]; then io=nio; fi
      taskset -c 0 "$java" -XX:+UseSerialGC -Xmx64m -jar stun-server/target/stun-server.jar \
        --listen 127.0.0.1 --alternate 127.0.0.2 --port "$p" --alt-port $((p + 1)) \
        --allow-amplification --rate-limit 1e9:1000000000 --socket-io "$io" \
        2>"$work/$name.log" &
      ;;
    coturn)
      # -n: ignore /etc/turnserver.conf. No TLS/DTLS/CLI listeners, logs to a file.
      taskset -c 0 turnserver -n --stun-only -L 127.0.0.1 -L 127.0.0.2 -p "$p" \
        --alt-listening-port $((p + 1)) --no-tls --no-dtls --no-cli --no-stdout-log \
        --log-file "$work/turn.log" --pidfile "$work/turn.pid" --userdb "$work/turndb" \
        >"$work/$name.log" 2>&1 &
      ;;
    stund)
      # Vovida stund: -h primary IP, -a secondary IP, -p/-o ports (defaults 3478/3479).
      taskset -c 0 stund -h 127.0.0.1 -a 127.0.0.2 -p "$p" -o $((p + 1)) >"$work/$name.log" 2>&1 &
      ;;
  esac
  server_pid=$!
  # Wait (bounded) until it answers.
  for _ in $(seq 50); do
    if "$java" --enable-native-access=ALL-UNNAMED -cp "$cp" dev.natcheck.loadgen.StunLoad \
        127.0.0.1 "$p" 1 1 0 0.1 0 127.0.0.1 "$LOADGEN_IO" 2>/dev/null \
        | grep -Eq 'answered=[1-9]'; then
      return
    fi
    sleep 0.1
  done
  echo "$name did not answer on 127.0.0.1:$p; log:" >&2; cat "$work/$name.log" >&2; exit 1
}

stop_server() {
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
# CPU time (user + system, clock ticks) of a process and all its threads.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

echo "# rounds=$ROUNDS threads=$THREADS window=$WINDOW warmup=${WARMUP}s measured=${SECONDS_MEASURED}s padding=$PADDING loadgen_io=$LOADGEN_IO socket_io=$SOCKET_IO"
echo "# $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), $("$java" -version 2>&1 | head -1)"
printf '%-12s %5s %12s %8s %10s %14s %15s\n' server round answered/s loss% rss_MiB cpu_us/answer load_us/answer
for round in $(seq "$ROUNDS"); do
  for name in $SERVERS; do
    port=$(free_pair)
    start_server "$name" "$port"
    taskset -c 1 "$java" --enable-native-access=ALL-UNNAMED -cp "$cp" dev.natcheck.loadgen.StunLoad \
      127.0.0.1 "$port" "$THREADS" "$WINDOW" "$WARMUP" "$SECONDS_MEASURED" "$PADDING" 127.0.0.1 \
      "$LOADGEN_IO" >"$work/load.out" &
    load_pid=$!
    # Server CPU time over the measured phase; resident memory sampled under load at its end.
    sleep "$WARMUP"
    cpu0=$(cpu_ticks "$server_pid")
    sleep "$SECONDS_MEASURED"
    cpu1=$(cpu_ticks "$server_pid")
    rss=$(rss_kb "$server_pid")
    wait "$load_pid"
    stop_server
    rate=$(sed -n 's/.*answered_per_s=\([0-9]*\).*/\1/p' "$work/load.out")
    loss=$(sed -n 's/.*loss_pct=\([0-9.]*\).*/\1/p' "$work/load.out")
    answered=$(sed -n 's/.*answered=\([0-9]*\).*/\1/p' "$work/load.out")
    printf '%-12s %5s %12s %8s %10.1f %14.2f %15.2f\n' "$name" "$round" "$rate" "$loss" \
      "$(awk "BEGIN {print $rss / 1024}")" \
      "$(awk "BEGIN {print ($cpu1 - $cpu0) * 1e6 / $hz / ($answered > 0 ? $answered : 1)}")" \
      "$(sed -n 's/.*cpu_us_per_answer=\([0-9.]*\).*/\1/p' "$work/load.out")"
  done
done
