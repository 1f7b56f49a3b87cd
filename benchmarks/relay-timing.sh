#!/usr/bin/env bash
# Whole-process timing of `natcheck relay` against three coturn relays on loopback.
#
#   benchmarks/relay-timing.sh              # build if needed, then measure
#   RUNS=30 benchmarks/relay-timing.sh      # more runs
#   HOLD=600 benchmarks/relay-timing.sh     # only start the relays, print the command, keep them 600 s
#
# 1. Starts three coturn `turnserver` processes on 127.0.0.1 (free ports, one long-term user,
#    everything on the command line, -n: no /etc/turnserver.conf), and in front of two of them a
#    small delaying UDP forwarder (python3, in this script: this kernel has no netem), so the three
#    relays are DELAYS_MS (one way) further away: "0 10 25" by default.
# 2. Process start: hyperfine on `java -jar natcheck.jar --version` (JVM and picocli).
# 3. RUNS runs of `natcheck relay --turn A --turn B --turn C -o json -vv`, each timed from
#    outside (wall clock around the process) and read back: the JSON (allocation times, round
#    trips through each relay) and the -vv timeline on stderr (when the checks started after the
#    process did, when each relay was granted and when released). The figure that matters: from
#    the slowest relay's grant to every allocation released, in that relay's round trips. By
#    design it is two (the echo through the relay, the release); the rest of the wall time is
#    process start before the checks and the report after them.
# 4. The same relay run under hyperfine, for the record.
#
# Only loopback addresses are used. Every process started here is stopped by its PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-20}
DELAYS_MS=${DELAYS_MS:-"0 10 25"}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java=$JAVA_HOME/bin/java
cli_jar=natcheck-cli/target/natcheck.jar
[ -f "$cli_jar" ] || ./mvnw -q package -DskipTests
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
command -v turnserver >/dev/null || { echo "needs coturn (apt-get install coturn)" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c '
import socket
while True:
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0)); port = u.getsockname()[1]
    try:
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM); t.bind(("127.0.0.1", port)); t.close(); u.close(); print(port); break
    except OSError:
        u.close()'
}

relays=()
i=0
for delay in $DELAYS_MS; do
  i=$((i + 1))
  port=$(free_port)
  turnserver -n --listening-ip 127.0.0.1 --listening-port "$port" --relay-ip 127.0.0.1 --realm bench \
    --allow-loopback-peers --no-cli --no-tls --no-dtls --relay-threads 1 --userdb "$work/db$i" \
    --pidfile "$work/pid$i" --log-file "$work/turn$i.log" --lt-cred-mech --user bench:bench-password \
    >/dev/null 2>&1 &
  pids+=($!)
  if [ "$delay" = 0 ]; then
    relays+=("127.0.0.1:$port")
  else
    front=$(free_port)
    python3 - "$front" "$port" "$delay" >"$work/forwarder$i.log" 2>&1 <<'EOF' &
# A UDP forwarder that holds every datagram DELAY ms before passing it on, both ways; one upstream
# socket per client, so the relay sees each client as itself.
import asyncio, sys
front_port, relay_port, delay = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) / 1000.0

class Back(asyncio.DatagramProtocol):
    def __init__(self, front, client):
        self.front, self.client = front, client
    def connection_made(self, transport):
        self.transport = transport
    def datagram_received(self, data, addr):
        asyncio.get_running_loop().call_later(delay, self.front.sendto, data, self.client)

class Front(asyncio.DatagramProtocol):
    def __init__(self):
        self.backs = {}
    def connection_made(self, transport):
        self.transport = transport
    def datagram_received(self, data, addr):
        asyncio.get_running_loop().create_task(self.forward(data, addr))
    async def forward(self, data, addr):
        back = self.backs.get(addr)
        if back is None:
            back = asyncio.get_running_loop().create_future()
            self.backs[addr] = back
            transport, _ = await asyncio.get_running_loop().create_datagram_endpoint(
                lambda: Back(self.transport, addr), remote_addr=("127.0.0.1", relay_port))
            back.set_result(transport)
        transport = await back
        asyncio.get_running_loop().call_later(delay, transport.sendto, data)

async def main():
    await asyncio.get_running_loop().create_datagram_endpoint(Front, local_addr=("127.0.0.1", front_port))
    await asyncio.Event().wait()

asyncio.run(main())
EOF
    pids+=($!)
    relays+=("127.0.0.1:$front")
  fi
done
sleep 1

args=()
for relay in "${relays[@]}"; do args+=(--turn "$relay"); done
args+=(--turn-user bench --turn-password env:TURN_PASSWORD)
export TURN_PASSWORD=bench-password

echo "relays: ${relays[*]} (one-way delays: $DELAYS_MS ms)"
if [ -n "${HOLD:-}" ]; then
  # HOLD=1: keep the relays up (until Ctrl-C or HOLD seconds) to run natcheck against them by hand.
  echo "TURN_PASSWORD=$TURN_PASSWORD $java -jar $cli_jar relay ${args[*]}"
  sleep "$([ "$HOLD" -gt 1 ] 2>/dev/null && echo "$HOLD" || echo 3600)"
  exit 0
fi
"$java" -jar "$cli_jar" relay "${args[@]}" >/dev/null || true   # warm the page cache

echo
echo "== process start: java -jar natcheck.jar --version"
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$work/start.json" "$java -jar $cli_jar --version"
start_ms=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['mean']*1000)" "$work/start.json")

echo
echo "== natcheck relay, three relays, $RUNS runs timed one by one (-vv: the checks' own timeline)"
python3 - "$RUNS" "$start_ms" "$java" "$cli_jar" "${args[@]}" <<'EOF'
import json, re, statistics, subprocess, sys, time
runs, start_ms, java, jar, args = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:]
rows = []
for _ in range(runs):
    t0, spawned = time.monotonic(), time.time()
    out = subprocess.run([java, "-jar", jar, "relay", *args, "-o", "json", "-vv"], capture_output=True, text=True)
    wall = (time.monotonic() - t0) * 1000
    doc = json.loads(out.stdout)
    relays = doc["relays"]
    if out.returncode != 0 or any(r["result"] != "OK" for r in relays):
        print("a relay failed:", [(r["relay"], r["result"], r["detail"]) for r in relays]); sys.exit(1)
    started = (float(re.search(r"relay checks of \d+ relays start at unix time ([\d.]+) s", out.stderr).group(1))
               - spawned) * 1000
    granted = {m.group(1): float(m.group(2)) for m in re.finditer(
        r"RelayCheck: (\S+): ALLOCATING --ALLOCATED--> CHECKING_PATH at ([\d.]+) ms", out.stderr)}
    done = {m.group(1): float(m.group(2)) for m in re.finditer(
        r"RelayCheck: (\S+): RELEASING --RELEASE_SETTLED--> DONE at ([\d.]+) ms", out.stderr)}
    slowest = max(granted, key=granted.get)
    slowest_relay = next(r for r in relays if r["relay"] == slowest)
    rtt = slowest_relay["rtt_ms"]["min"]
    tail = max(done.values()) - granted[slowest]
    finish = wall - started - max(done.values())
    rows.append(dict(wall=wall, started=started, alloc=slowest_relay["allocation_ms"], rtt=rtt, tail=tail,
                     tail_rtts=tail / rtt, finish=finish, fastest=doc["fastest"],
                     rtts=[r["rtt_ms"]["min"] for r in relays]))
    print(f"  run: wall {wall:7.1f} ms = start {started:6.0f} + checks {max(done.values()):6.1f} + finish {finish:6.1f};"
          f" slowest grant -> all released {tail:6.1f} ms = {tail / rtt:4.2f} x its round trip;"
          f" through each relay {rows[-1]['rtts']} ms; fastest {doc['fastest']}")
def stat(key, unit="ms"):
    values = [r[key] for r in rows]
    return f"median {statistics.median(values):8.2f}   min {min(values):8.2f}   max {max(values):8.2f} {unit}"
print(f"process start, --version (hyperfine mean):          {start_ms:8.1f} ms")
print(f"wall, whole process:                                {stat('wall')}")
print(f"checks start after the process was spawned:         {stat('started')}")
print(f"slowest allocation (JSON allocation_ms):            {stat('alloc')}")
print(f"its round trip through the relay:                   {stat('rtt')}")
print(f"from its grant to every relay released:            {stat('tail')}")
print(f"  the same in its round trips:                      {stat('tail_rtts', 'RTT')}")
print(f"after the checks (report, exit):                    {stat('finish')}")
print("fastest picked:", sorted(set(r["fastest"] for r in rows)))
EOF

echo
echo "== natcheck relay under hyperfine"
hyperfine -N --warmup 2 --runs "$RUNS" "$java -jar $cli_jar relay ${args[*]} -q"
