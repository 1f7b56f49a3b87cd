#!/usr/bin/env bash
# Whole-process timing of `natcheck relay` against three coturn relays on loopback.
#
#   benchmarks/relay-timing.sh              # build if needed, then measure
#   RUNS=30 benchmarks/relay-timing.sh      # more runs
#
# 1. Starts three coturn `turnserver` processes on 127.0.0.1 (free ports, one long-term user,
#    everything on the command line, -n: no /etc/turnserver.conf), and in front of two of them a
#    small delaying UDP forwarder (python3, in this script: this kernel has no netem), so the three
#    relays are DELAYS_MS (one way) further away: "0 10 25" by default.
# 2. Process start: hyperfine on `java -jar natcheck.jar --version` (JVM and picocli).
# 3. RUNS runs of `natcheck relay --turn A --turn B --turn C -o json`, each timed from outside
#    (wall clock around the process) and read back: the slowest relay's allocation time and
#    round trip through the relay. The figure that matters is
#      overhead = wall - start - slowest allocation,
#    in units of the slowest relay's round trip: what natcheck adds after the last grant (the
#    echo through the relay, the release, the report). By design it is two round trips.
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
"$java" -jar "$cli_jar" relay "${args[@]}" >/dev/null || true   # warm the page cache

echo
echo "== process start: java -jar natcheck.jar --version"
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$work/start.json" "$java -jar $cli_jar --version"
start_ms=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['mean']*1000)" "$work/start.json")

echo
echo "== natcheck relay, three relays, $RUNS runs timed one by one"
python3 - "$RUNS" "$start_ms" "$java" "$cli_jar" "${args[@]}" <<'EOF'
import json, statistics, subprocess, sys, time
runs, start_ms, java, jar, args = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:]
rows = []
for _ in range(runs):
    t0 = time.monotonic()
    out = subprocess.run([java, "-jar", jar, "relay", *args, "-o", "json"], capture_output=True, text=True)
    wall = (time.monotonic() - t0) * 1000
    doc = json.loads(out.stdout)
    relays = doc["relays"]
    if out.returncode != 0 or any(r["result"] != "OK" for r in relays):
        print("a relay failed:", [(r["relay"], r["result"], r["detail"]) for r in relays]); sys.exit(1)
    slowest_alloc = max(r["allocation_ms"] for r in relays)
    slowest_rtt = max(r["rtt_ms"]["min"] for r in relays if r["rtt_ms"])
    overhead = wall - start_ms - slowest_alloc
    rows.append((wall, slowest_alloc, slowest_rtt, overhead, overhead / slowest_rtt, doc["fastest"]))
def stat(i):
    values = [r[i] for r in rows]
    return f"median {statistics.median(values):8.1f}   min {min(values):8.1f}   max {max(values):8.1f}"
print(f"process start (mean, --version):     {start_ms:8.1f} ms")
print(f"wall, whole process:                 {stat(0)} ms")
print(f"slowest allocation:                  {stat(1)} ms")
print(f"slowest round trip through a relay:  {stat(2)} ms")
print(f"overhead = wall - start - slowest allocation: {stat(3)} ms")
print(f"overhead in slowest round trips:     {stat(4)}")
print("fastest picked:", sorted(set(r[5] for r in rows)))
EOF

echo
echo "== natcheck relay under hyperfine"
hyperfine -N --warmup 2 --runs "$RUNS" "$java -jar $cli_jar relay ${args[*]} -q"
