#!/bin/sh
# Checks natcheck-whoami.service and natcheck-stun.service under a real systemd: boots systemd
# in a throw-away systemd-nspawn container (the host's /usr read-only, its own private network
# with nothing but loopback), installs the daemons the way docs/operations.md says, and checks:
#   - each service starts and runs as a dynamic user, no capabilities, no_new_privs, seccomp;
#   - clients on the container's loopback get their answer over IPv4 and IPv6
#     (TCP 8080: the address line; UDP 3478: a STUN Binding success response);
#   - systemctl stop ends each one cleanly (systemd records Result=success);
#   - the directives the units leave out really break the JVM (MemoryDenyWriteExecute=yes,
#     ProcSubset=pid), and a port below 1024 needs PrivateUsers=no besides the capability.
# If stun-server is not built yet (stun-server/target/stun-server.jar and stun-server/bin/
# stun-server), a stand-in JVM that answers Binding requests on UDP 3478/3479 runs under the
# stun unit instead, which still checks the unit's sandbox against a JVM using UDP.
#
# Needs root and systemd-nspawn (apt-get install systemd-container), and the whoami jar
# (./mvnw -q package -DskipTests). Run from anywhere: whoami-server/systemd/check-under-systemd.sh
# Exit status 0 when every check passed. Sends no packet outside the container's loopback.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
[ "$(id -u)" = 0 ] || { echo "check-under-systemd: needs root" >&2; exit 2; }
command -v systemd-nspawn >/dev/null ||
  { echo "check-under-systemd: needs systemd-nspawn (apt-get install systemd-container)" >&2; exit 2; }
[ -f "$repo/whoami-server/target/whoami-server.jar" ] ||
  { echo "check-under-systemd: build first: ./mvnw -q package -DskipTests" >&2; exit 2; }

name=natcheck-units-$$
ct=$(mktemp -d "/tmp/$name.XXXXXX")
chmod 755 "$ct" # the container's / : mktemp made it 0700, which locks out every non-root user
console=$ct.console
nspawn=
cleanup() {
  if [ -n "$nspawn" ] && kill -0 "$nspawn" 2>/dev/null; then
    kill -TERM "$nspawn" # nspawn asks the container's systemd to shut down
    i=0
    while kill -0 "$nspawn" 2>/dev/null && [ $i -lt 30 ]; do sleep 1; i=$((i + 1)); done
    kill -0 "$nspawn" 2>/dev/null && kill -KILL "$nspawn"
  fi
  rm -rf "$ct" "$console"
}
trap cleanup EXIT INT TERM

# The container's root: a copy of /etc with no services enabled, the host's /usr bound read-only.
cp -a /etc "$ct/etc"
rm -f "$ct/etc/os-release" && cp /usr/lib/os-release "$ct/etc/os-release"
: >"$ct/etc/machine-id"
find "$ct/etc/systemd/system" -path '*.wants/*' -delete
for d in usr var root tmp proc sys dev run home srv opt/natcheck/bin opt/natcheck/lib; do
  mkdir -p "$ct/$d"
done
chmod 1777 "$ct/tmp"
for l in bin lib lib64 sbin; do ln -s "usr/$l" "$ct/$l"; done

# Install as docs/operations.md says.
install -m 755 "$repo/whoami-server/bin/whoami-server" "$ct/opt/natcheck/bin/"
install -m 644 "$repo/whoami-server/target/whoami-server.jar" "$ct/opt/natcheck/lib/"
install -m 644 "$repo/whoami-server/systemd/natcheck-whoami.service" "$ct/etc/systemd/system/"
install -m 644 "$repo/stun-server/systemd/natcheck-stun.service" "$ct/etc/systemd/system/"
if [ -f "$repo/stun-server/target/stun-server.jar" ] && [ -x "$repo/stun-server/bin/stun-server" ]; then
  install -m 755 "$repo/stun-server/bin/stun-server" "$ct/opt/natcheck/bin/"
  install -m 644 "$repo/stun-server/target/stun-server.jar" "$ct/opt/natcheck/lib/"
  echo "stun-server: the real jar"
else
  echo "stun-server: not built, a stand-in JVM answers under the stun unit"
  cat >"$ct/opt/natcheck/lib/StunStandIn.java" <<'JAVA'
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;

/** Stand-in for stun-server under its unit: answers a Binding request with a bare success header. */
public class StunStandIn {
  public static void main(String[] args) throws Exception {
    for (int port : new int[] {3478, 3479}) {
      DatagramSocket socket = new DatagramSocket(new InetSocketAddress("::", port));
      Thread.ofPlatform().start(() -> {
        byte[] buffer = new byte[1500];
        while (true) {
          DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
          try {
            socket.receive(packet);
            if (packet.getLength() < 20 || buffer[0] != 0 || buffer[1] != 1) continue;
            byte[] reply = java.util.Arrays.copyOf(buffer, 20);
            reply[0] = 1; reply[1] = 1; reply[2] = 0; reply[3] = 0;
            socket.send(new DatagramPacket(reply, 20, packet.getSocketAddress()));
          } catch (java.io.IOException e) {
            return;
          }
        }
      });
    }
    System.err.println("stand-in listening on UDP 3478 and 3479");
  }
}
JAVA
  cat >"$ct/opt/natcheck/bin/stun-server" <<'SH'
#!/bin/sh
for home in /usr/lib/jvm/*; do
  if grep -q '^JAVA_VERSION="2[5-9]' "$home/release" 2>/dev/null; then
    # shellcheck disable=SC2086
    exec "$home/bin/java" ${JAVA_OPTS:-} /opt/natcheck/lib/StunStandIn.java "$@"
  fi
done
echo "no Java 25" >&2; exit 1
SH
  chmod 755 "$ct/opt/natcheck/bin/stun-server"
fi
mkdir -p "$ct/etc/systemd/system/multi-user.target.wants"
for unit in natcheck-whoami.service natcheck-stun.service; do
  ln -s "/etc/systemd/system/$unit" "$ct/etc/systemd/system/multi-user.target.wants/$unit"
done

# The checks, run inside the container.
cat >"$ct/root/checks.sh" <<'CHECKS'
#!/bin/bash
set -u
failures=0
pass() { echo "  ok    $*"; }
fail() { echo "  FAIL  $*"; failures=$((failures + 1)); }

# TCP client on the container's loopback: prints the line, checked against its own address.
tcp_line() {
  python3 - "$1" "$2" <<'PY'
import socket, sys
host, port = sys.argv[1], int(sys.argv[2])
try:
    s = socket.create_connection((host, port), timeout=5)
except OSError as e:
    print(f"no connection: {e}"); sys.exit(1)
local = s.getsockname()
data = b""
while chunk := s.recv(100):
    data += chunk
s.close()
expected = (f"[{local[0]}]:{local[1]}\n" if ":" in local[0] else f"{local[0]}:{local[1]}\n").encode()
print(data.decode().strip())
sys.exit(0 if data == expected else 1)
PY
}

# STUN Binding request (padded with SOFTWARE so no reply is larger than the request).
stun_answer() {
  python3 - "$1" "$2" <<'PY'
import os, socket, struct, sys
host, port = sys.argv[1], int(sys.argv[2])
txid = os.urandom(12)
software = b"natcheck unit check".ljust(100, b" ")
attr = struct.pack("!HH", 0x8022, len(software)) + software
request = struct.pack("!HHI", 0x0001, len(attr), 0x2112A442) + txid + attr
s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
s.sendto(request, (host, port))
try:
    reply = s.recv(2048)
except OSError as e:
    print(f"no answer: {e}"); sys.exit(1)
ok = reply[0:2] == b"\x01\x01" and reply[8:20] == txid
print(f"{len(reply)}-byte Binding success" if ok else f"unexpected {reply[:4].hex()}")
sys.exit(0 if ok else 1)
PY
}

# Starts UNIT with the given extra drop-in lines; sets $log to its log, $pid to its main pid.
start() {
  local unit=$1; shift
  local dir=/run/systemd/system/$unit.d
  mkdir -p "$dir"
  { echo '[Service]'; for line in "$@"; do echo "$line"; done; } >"$dir/check.conf"
  systemctl daemon-reload
  systemctl reset-failed "$unit" 2>/dev/null
  systemctl restart "$unit"
  local id; id=$(systemctl show -p InvocationID --value "$unit")
  for _ in $(seq 60); do
    log=$(journalctl --no-pager -o cat _SYSTEMD_INVOCATION_ID="$id")
    grep -q 'listening on\|Error\|rror:\|exception' <<<"$log" && break
    [ "$(systemctl show -p ActiveState --value "$unit")" = active ] || break
    sleep 0.25
  done
  sleep 0.5
  log=$(journalctl --no-pager -o cat _SYSTEMD_INVOCATION_ID="$id")
  pid=$(systemctl show -p MainPID --value "$unit")
}

stop() {
  local unit=$1
  systemctl stop "$unit"
  rm -f "/run/systemd/system/$unit.d/check.conf"
  systemctl daemon-reload
}

sandbox() {
  local status=/proc/$1/status
  local uid caps nnp seccomp
  uid=$(awk '/^Uid:/ {print $2}' "$status")
  caps=$(awk '/^CapEff:/ {print $2}' "$status")
  nnp=$(awk '/^NoNewPrivs:/ {print $2}' "$status")
  seccomp=$(awk '/^Seccomp:/ {print $2}' "$status")
  if [ "$uid" -ge 61184 ] && [ "$caps" = 0000000000000000 ] && [ "$nnp" = 1 ] && [ "$seccomp" = 2 ]; then
    pass "$2 runs as dynamic uid $uid, no capabilities, no_new_privs, seccomp filter"
  else
    fail "$2 sandbox: uid $uid CapEff $caps NoNewPrivs $nnp Seccomp $seccomp"
  fi
}

echo "natcheck-whoami.service, as shipped:"
start natcheck-whoami.service
if [ "$(systemctl show -p ActiveState --value natcheck-whoami.service)" = active ]; then
  pass "active; $(grep -o 'listening on.*' <<<"$log")"
  sandbox "$pid" whoami-server
  for host in 127.0.0.1 ::1; do
    if line=$(tcp_line "$host" 8080); then pass "TCP client on $host got its own address: $line"; else fail "TCP $host: $line"; fi
  done
else
  fail "not active: $log"
fi
stop natcheck-whoami.service
result=$(systemctl show -p Result --value natcheck-whoami.service)
status=$(systemctl show -p ExecMainStatus --value natcheck-whoami.service)
if [ "$result" = success ] && [ "$status" = 0 ]; then pass "systemctl stop: Result=success, exit status 0"; else fail "stop: Result=$result status=$status"; fi

echo "natcheck-stun.service, as shipped:"
start natcheck-stun.service
if [ "$(systemctl show -p ActiveState --value natcheck-stun.service)" = active ]; then
  # The listening line names the socket path (batched recvmmsg/sendmmsg or NIO), so a seccomp
  # refusal of the batched calls, which would make the server fall back, shows here.
  pass "active; $(grep -o 'listening on.*' <<<"$log" || echo 'no listening line')"
  sandbox "$pid" stun-server
  for host in 127.0.0.1 ::1; do
    if answer=$(stun_answer "$host" 3478); then pass "UDP client on $host got a $answer"; else fail "UDP $host: $answer"; fi
  done
else
  fail "not active: $log"
fi
stop natcheck-stun.service
result=$(systemctl show -p Result --value natcheck-stun.service)
if [ "$result" = success ]; then pass "systemctl stop: Result=success"; else fail "stop: Result=$result"; fi

echo "what the units leave out, tried on natcheck-whoami.service:"
start natcheck-whoami.service "MemoryDenyWriteExecute=yes"
if grep -q 'Error occurred during initialization of VM' <<<"$log"; then
  pass "MemoryDenyWriteExecute=yes: the JVM does not start ($(grep -m1 'mark memory' <<<"$log"))"
else
  fail "MemoryDenyWriteExecute=yes did not break the JVM: $log"
fi
stop natcheck-whoami.service
start natcheck-whoami.service "ProcSubset=pid"
if grep -q 'listening on \[0.0.0.0:8080\]' <<<"$log" && ! tcp_line ::1 8080 >/dev/null; then
  pass "ProcSubset=pid: the JDK sees no IPv6 and listens on IPv4 only"
else
  fail "ProcSubset=pid: $log"
fi
stop natcheck-whoami.service
low=('Environment="WHOAMI_OPTS=--port 80"' AmbientCapabilities=CAP_NET_BIND_SERVICE CapabilityBoundingSet=CAP_NET_BIND_SERVICE)
start natcheck-whoami.service "${low[@]}"
if grep -q 'cannot listen on \[::\]:80: Permission denied' <<<"$log"; then
  pass "port 80 with the capability but PrivateUsers=yes: Permission denied"
else
  fail "port 80 with PrivateUsers=yes: $log"
fi
stop natcheck-whoami.service
start natcheck-whoami.service "${low[@]}" PrivateUsers=no
if line=$(tcp_line 127.0.0.1 80); then
  pass "port 80 with the capability and PrivateUsers=no: served $line"
else
  fail "port 80 with PrivateUsers=no: $line $log"
fi
stop natcheck-whoami.service

echo "systemd $(systemctl --version | head -1 | cut -d' ' -f2), $(uname -r): $failures failure(s)"
exit $((failures > 0))
CHECKS
chmod 755 "$ct/root/checks.sh"

systemd-nspawn -D "$ct" --bind-ro=/usr --private-network --register=no --keep-unit \
  -M "$name" -b --console=read-only >"$console" 2>&1 &
nspawn=$!
leader=
for _ in $(seq 60); do
  leader=$(pgrep -P "$nspawn" | head -1) || true
  [ -n "$leader" ] && break
  kill -0 "$nspawn" 2>/dev/null || { cat "$console" >&2; echo "container failed to start" >&2; exit 1; }
  sleep 1
done
[ -n "$leader" ] || { cat "$console" >&2; echo "container failed to start" >&2; exit 1; }
state=$(nsenter -t "$leader" -a timeout 90 systemctl is-system-running --wait 2>&1) || true
echo "container $name booted: $state"
nsenter -t "$leader" -a /root/checks.sh
