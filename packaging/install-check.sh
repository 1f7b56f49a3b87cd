#!/bin/sh
# Installs the natcheck Debian package into a throw-away root and checks it as an administrator
# would, then purges it and checks that nothing is left. The root is a systemd-nspawn container
# that boots its own systemd: a copy of this host's /etc and dpkg database, this host's /usr as
# the lower layer of an overlay (so dpkg writes only into a scratch upper layer), every Java
# runtime removed from it (the package must bring its own), and a private network with nothing
# but loopback. Inside it:
#   - dpkg -i; the units are installed but disabled and inactive;
#   - natcheck --version and natcheck --local from /usr/bin, with the AOT cache the package
#     made (-XX:AOTMode=on: the JVM refuses to start if the cache does not fit);
#   - both daemons as systemd starts them from the installed units (DynamicUser, the package's
#     runtime), answering natcheck over UDP 3478 and, for the TCP fallback, TCP 8080;
#   - the fleet check, natcheck-fleet.service (natcheck --every as a dynamic user, its textfile in
#     /run/natcheck, a link in node_exporter's textfile directory while it runs): its findings as
#     the servers go away, the failed runs counted, node_exporter (when the host has it) serving
#     the file, a clean stop that takes the link away;
#   - man -l renders every page without a warning; the bash completion loads and completes;
#     zsh finds _natcheck; systemd-analyze verify is silent on the installed units;
#   - a unit enabled by the administrator, then dpkg --purge: every file outside the
#     transient places (/proc, /run, /tmp, logs, journal) is as it was before the install.
# Outside it: lintian reports no error; the Depends line matches dpkg-shlibdeps on the runtime.
#
#   packaging/install-check.sh packaging/target/natcheck_VERSION_amd64.deb
#
# Needs root and systemd-nspawn (apt-get install systemd-container); lintian and dpkg-dev for
# the checks outside (skipped with a note when missing). Sends no packet beyond the container's
# loopback. Exit status 0 when every check passed.
set -eu

[ $# -eq 1 ] && [ -f "$1" ] || { echo "usage: $0 PACKAGE.deb" >&2; exit 2; }
deb=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ "$(id -u)" = 0 ] || { echo "install-check: needs root" >&2; exit 2; }
command -v systemd-nspawn >/dev/null ||
  { echo "install-check: needs systemd-nspawn (apt-get install systemd-container)" >&2; exit 2; }

failures=0
pass() { echo "  ok    $*"; }
fail() { echo "  FAIL  $*"; failures=$((failures + 1)); }

echo "outside the container:"
if command -v lintian >/dev/null; then
  # --suppress-tags none: the report is the package's own; warnings are explained in
  # docs/operations.md ("The Debian package").
  report=$(lintian --no-cfg "$deb" 2>&1) || true
  errors=$(printf '%s\n' "$report" | grep -c '^E:' || true)
  warnings=$(printf '%s\n' "$report" | grep -c '^W:' || true)
  if [ "$errors" = 0 ]; then
    pass "lintian: no error ($warnings warnings)"
  else
    fail "lintian: $(printf '%s\n' "$report" | grep '^E:')"
  fi
else
  echo "  skip  lintian not installed (apt-get install lintian)"
fi

work=$(mktemp -d /tmp/natcheck-deb.XXXXXX)
if command -v dpkg-shlibdeps >/dev/null; then
  mkdir -p "$work/shlibs/debian" "$work/shlibs/unpacked"
  printf 'Source: natcheck\n\nPackage: natcheck\nArchitecture: amd64\n' >"$work/shlibs/debian/control"
  dpkg-deb -x "$deb" "$work/shlibs/unpacked"
  runtime=$work/shlibs/unpacked/usr/lib/natcheck/runtime
  computed=$(cd "$work/shlibs" && find "$runtime" -type f \( -name '*.so' -o -path '*/bin/java' \) -print0 |
    xargs -0 dpkg-shlibdeps -O -l"$runtime/lib" -l"$runtime/lib/server" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
  declared=$(dpkg-deb -f "$deb" Depends)
  case ", $declared," in
    *", $computed,"*) pass "Depends ($declared) has what dpkg-shlibdeps finds: $computed" ;;
    *) fail "Depends is '$declared', dpkg-shlibdeps finds '$computed'" ;;
  esac
else
  echo "  skip  dpkg-shlibdeps not installed (apt-get install dpkg-dev)"
fi

name=natcheck-deb-$$
ct=$work/root
upper=$work/usr-upper
console=$work/console
nspawn=
cleanup() {
  if [ -n "$nspawn" ] && kill -0 "$nspawn" 2>/dev/null; then
    kill -TERM "$nspawn" # nspawn asks the container's systemd to shut down
    i=0
    while kill -0 "$nspawn" 2>/dev/null && [ $i -lt 30 ]; do sleep 1; i=$((i + 1)); done
    kill -0 "$nspawn" 2>/dev/null && kill -KILL "$nspawn"
    wait "$nspawn" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# The container's root: this host's /etc with no service enabled, its dpkg database (so the
# package's dependencies count as installed), empty /var otherwise; /usr comes as an overlay.
mkdir -p "$ct" "$upper"
chmod 755 "$ct" "$work"
cp -a /etc "$ct/etc"
rm -f "$ct/etc/os-release" && cp /usr/lib/os-release "$ct/etc/os-release"
: >"$ct/etc/machine-id"
find "$ct/etc/systemd/system" -path '*.wants/*' -delete
for d in usr var/lib var/log var/cache var/tmp root tmp proc sys dev run home srv opt; do
  mkdir -p "$ct/$d"
done
chmod 1777 "$ct/tmp" "$ct/var/tmp"
cp -a /var/lib/dpkg "$ct/var/lib/dpkg"
# node_exporter's textfile directory, as Debian's prometheus-node-exporter leaves it, for the
# fleet check's link (that package's files are not in this root, whatever its dpkg database says).
install -d -m 755 "$ct/var/lib/prometheus/node-exporter"
for l in bin lib lib64 sbin; do ln -s "usr/$l" "$ct/$l"; done
cp "$deb" "$ct/root/natcheck.deb"

cat >"$ct/root/checks.sh" <<'CHECKS'
#!/bin/bash
set -u
failures=0
pass() { echo "  ok    $*"; }
fail() { echo "  FAIL  $*"; failures=$((failures + 1)); }

# Every path outside /usr and the places that change on their own, with owner and mode (and
# size and target for files and links). The .wants directories are systemctl's to make and
# remove. /usr is the host's, seen through the overlay, and may change under the test (another
# apt-get on the host): what the package left there is read from the overlay's upper layer.
snapshot() {
  find / \( -path /usr -o -path /proc -o -path /sys -o -path /dev -o -path /run -o -path /tmp -o -path /root \
    -o -path /var/log -o -path /var/tmp -o -path /var/cache -o -path /var/lib/systemd \
    -o -path /var/lib/dpkg -o -path '/etc/systemd/system/*.wants' \) -prune \
    -o -type d -printf '%p %u %g %m\n' -o -printf '%p %u %g %m %s %l\n' | sort
}

echo "inside the container, before the install:"
rm -rf /usr/lib/jvm /etc/alternatives/java /etc/alternatives/jre /usr/bin/java
if command -v java >/dev/null || ls /usr/lib/jvm >/dev/null 2>&1; then
  fail "a Java runtime is still visible"
else
  pass "no Java runtime on this root"
fi
snapshot >/root/before.txt

echo "install:"
if out=$(dpkg -i /root/natcheck.deb 2>&1); then
  pass "dpkg -i natcheck.deb"
else
  fail "dpkg -i: $out"
fi
for unit in natcheck-stun.service natcheck-whoami.service natcheck-fleet.service; do
  enabled=$(systemctl is-enabled "$unit" 2>&1)
  active=$(systemctl is-active "$unit" 2>&1)
  if [ "$enabled" = disabled ] && [ "$active" = inactive ]; then
    pass "$unit installed, disabled and inactive"
  else
    fail "$unit: is-enabled $enabled, is-active $active"
  fi
done

echo "natcheck from /usr/bin:"
# The first line names natcheck's version; the second, the Java runtime it runs on.
version=$(natcheck --version 2>/root/err | head -1)
if [ "$version" = "natcheck $EXPECTED_VERSION" ] && [ ! -s /root/err ]; then
  pass "natcheck --version: $version, nothing on stderr"
else
  fail "natcheck --version: '$version', stderr: $(cat /root/err)"
fi
if JAVA_OPTS=-XX:AOTMode=on natcheck --version >/dev/null 2>/root/err; then
  pass "the package's AOT cache fits its runtime and jar (-XX:AOTMode=on starts)"
else
  fail "AOT cache refused: $(cat /root/err)"
fi
if out=$(JAVA_OPTS=-XX:AOTMode=on natcheck --local -o brief 2>/root/err) &&
  grep -qP '^lo\tipv4\tNO_NAT\t127\.0\.0\.1:\d+\t0$' <<<"$out" && grep -qP '^lo\tipv6\tNO_NAT\t\[::1\]:\d+\t0$' <<<"$out"; then
  pass "natcheck --local: $(tr '\t\n' ' ;' <<<"$out")"
else
  fail "natcheck --local: $out $(cat /root/err)"
fi
for daemon in stun-server whoami-server; do
  first=$($daemon --version | head -1)
  if [ "$first" = "$daemon $EXPECTED_VERSION" ]; then
    pass "$daemon --version: $first"
  else
    fail "$daemon --version: $first"
  fi
done

echo "the daemons under systemd, from the installed units:"
systemctl start natcheck-stun.service natcheck-whoami.service
for _ in $(seq 80); do
  journalctl --no-pager -o cat -u natcheck-stun.service -u natcheck-whoami.service | grep -c 'listening on' |
    grep -qx 2 && break
  sleep 0.25
done
for unit in natcheck-stun.service natcheck-whoami.service; do
  pid=$(systemctl show -p MainPID --value "$unit")
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null)
  uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
  if [ "$exe" = /usr/lib/natcheck/runtime/bin/java ] && [ "${uid:-0}" -ge 61184 ]; then
    pass "$unit active: the package's runtime, dynamic uid $uid"
  else
    fail "$unit: exe '$exe' uid '$uid': $(journalctl --no-pager -o cat -u "$unit" | tail -5)"
  fi
done
if out=$(natcheck -i lo -s 127.0.0.1 -s '[::1]' -o brief 2>&1) &&
  grep -qP '^lo\tipv4\tNO_NAT\t127\.0\.0\.1:\d+\t0$' <<<"$out" && grep -qP '^lo\tipv6\tNO_NAT\t\[::1\]:\d+\t0$' <<<"$out"; then
  pass "natcheck against stun-server on UDP 3478: $(tr '\t\n' ' ;' <<<"$out")"
else
  fail "natcheck against the stun unit: $out"
fi
# UDP to a closed port is refused at once (ICMP), so natcheck falls back to whoami on TCP 8080.
out=$(natcheck -4 -i lo -s 127.0.0.1:9 -o json 2>&1)
if grep -Eq '"transport": ?"tcp"' <<<"$out" && grep -Eq '"verdict": ?"UDP_BLOCKED"' <<<"$out" &&
  grep -q 'TCP echo: 127.0.0.1:8080 answered' <<<"$out"; then
  pass "natcheck's TCP fallback against whoami-server on TCP 8080: transport tcp, UDP_BLOCKED"
else
  fail "natcheck against the whoami unit: $out"
fi
systemctl stop natcheck-stun.service natcheck-whoami.service
for unit in natcheck-stun.service natcheck-whoami.service; do
  result=$(systemctl show -p Result --value "$unit")
  if [ "$result" = success ]; then pass "systemctl stop $unit: Result=success"; else fail "stop $unit: Result=$result"; fi
done

echo "the fleet check under systemd, from the installed unit:"
link=/var/lib/prometheus/node-exporter/natcheck.prom
# Waits until the daemons listen: UDP 3478 and TCP 8080.
await_daemons() {
  for _ in $(seq 80); do
    [ -n "$(ss -Hlun 'sport = :3478')" ] && [ -n "$(ss -Hltn 'sport = :8080')" ] && return 0
    sleep 0.25
  done
  return 1
}
# Waits until the textfile, read as node_exporter reads it (through the link), has the line $1;
# leaves it in $prom.
await_prom() {
  for _ in $(seq 120); do
    prom=$(cat "$link" 2>/dev/null) && grep -qF -- "$1" <<<"$prom" && return 0
    sleep 0.25
  done
  return 1
}
sample() { sed -n "s/^$1 //p" <<<"$prom"; }
# The built-in public servers are out of reach here: the daemons on loopback, every 2 seconds.
sed -i -e 's/^NATCHECK_OPTS=$/NATCHECK_OPTS=-i lo -s 127.0.0.1 -s [::1] --timeout 1s/' \
  -e 's/^NATCHECK_EVERY=.*/NATCHECK_EVERY=2s/' /etc/default/natcheck-fleet
if [ -e "$link" ] || [ -L "$link" ]; then fail "a link in node_exporter's directory before the service ran"; fi
systemctl start natcheck-stun.service natcheck-whoami.service
await_daemons || fail "the daemons did not start listening"
systemctl start natcheck-fleet.service
if await_prom 'natcheck_verdict_info{interface="lo",family="ipv6",verdict="NO_NAT",nat="NONE"} 1' &&
  grep -qF 'natcheck_verdict_info{interface="lo",family="ipv4",verdict="NO_NAT",nat="NONE"} 1' <<<"$prom" &&
  [ "$(sample natcheck_consecutive_failures)" = 0 ] && [ "$(readlink "$link")" = /run/natcheck/natcheck.prom ] &&
  [ ! -L /run/natcheck ] && [ "$(stat -c %a /run/natcheck)" = 755 ] &&
  [ "$(stat -c %a /run/natcheck/natcheck.prom)" = 644 ] && [ "$(stat -c %u /run/natcheck/natcheck.prom)" -ge 61184 ]; then
  pass "natcheck-fleet.service: NO_NAT for lo ipv4 and ipv6 in /run/natcheck/natcheck.prom (dynamic uid $(stat -c %u /run/natcheck/natcheck.prom), mode 644), read through its link in node_exporter's directory"
else
  fail "natcheck-fleet.service: $(ls -ld "$link" /run/natcheck /run/natcheck/* 2>&1) $prom $(journalctl --no-pager -o cat -u natcheck-fleet.service | tail -5)"
fi
pid=$(systemctl show -p MainPID --value natcheck-fleet.service)
exe=$(readlink "/proc/$pid/exe" 2>/dev/null)
uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
caps=$(awk '/^CapEff:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
nnp=$(awk '/^NoNewPrivs:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
seccomp=$(awk '/^Seccomp:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
if [ "$exe" = /usr/lib/natcheck/runtime/bin/java ] && [ "${uid:-0}" -ge 61184 ] && [ "$caps" = 0000000000000000 ] &&
  [ "$nnp" = 1 ] && [ "$seccomp" = 2 ]; then
  pass "natcheck-fleet.service runs on the package's runtime as dynamic uid $uid, no capabilities, no_new_privs, seccomp filter"
else
  fail "natcheck-fleet.service sandbox: exe '$exe' uid '$uid' CapEff '$caps' NoNewPrivs '$nnp' Seccomp '$seccomp'"
fi
if journalctl --no-pager -o cat -u natcheck-fleet.service | grep -qP '^lo\tipv4\tNO_NAT\t127\.0\.0\.1:\d+\t0$'; then
  pass "natcheck-fleet.service: one brief line per probe and run in the journal"
else
  fail "natcheck-fleet.service journal: $(journalctl --no-pager -o cat -u natcheck-fleet.service | tail -5)"
fi
if [ -x /usr/bin/prometheus-node-exporter ] && command -v curl >/dev/null; then
  # node_exporter as an unprivileged user, on the container's own loopback.
  setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/prometheus-node-exporter \
    --web.listen-address=127.0.0.1:9199 --collector.disable-defaults --collector.textfile \
    --collector.textfile.directory=/var/lib/prometheus/node-exporter >/root/node-exporter.log 2>&1 &
  exporter=$!
  scrape=
  for _ in $(seq 40); do
    scrape=$(curl -sf http://127.0.0.1:9199/metrics) && break
    sleep 0.25
  done
  kill "$exporter"
  wait "$exporter" 2>/dev/null
  if grep -qF 'natcheck_verdict_info{family="ipv4",interface="lo",nat="NONE",verdict="NO_NAT"} 1' <<<"$scrape" &&
    grep -qx 'node_textfile_scrape_error 0' <<<"$scrape"; then
    pass "node_exporter, as nobody, serves the fleet check's textfile through the link"
  else
    fail "node_exporter: $(grep -E '^(natcheck_verdict|node_textfile)' <<<"$scrape") $(tail -3 /root/node-exporter.log)"
  fi
else
  echo "  skip  node_exporter: prometheus-node-exporter or curl not on this host"
fi
systemctl stop natcheck-stun.service
if await_prom 'natcheck_verdict_info{interface="lo",family="ipv4",verdict="UDP_BLOCKED",nat="NONE"} 1' &&
  grep -qF 'natcheck_udp_reachable{interface="lo",family="ipv4"} 0' <<<"$prom" &&
  [ "$(sample natcheck_consecutive_failures)" = 0 ]; then
  pass "natcheck-fleet.service with stun-server stopped: UDP_BLOCKED, udp_reachable 0, still a success"
else
  fail "natcheck-fleet.service without stun-server: $prom"
fi
last_success=$(sample natcheck_last_success_timestamp_seconds)
systemctl stop natcheck-whoami.service
if await_prom 'natcheck_consecutive_failures 2' && grep -qF 'verdict="REFUSED"' <<<"$prom" &&
  [ "$(sample natcheck_last_success_timestamp_seconds)" = "$last_success" ] &&
  [ "$(systemctl is-active natcheck-fleet.service)" = active ]; then
  pass "natcheck-fleet.service with both stopped: REFUSED, failed runs counted, the last success kept, still running"
else
  fail "natcheck-fleet.service without servers: $(systemctl is-active natcheck-fleet.service): $prom"
fi
if out=$(systemd-analyze security --threshold=20 --no-pager natcheck-fleet.service 2>&1); then
  pass "systemd-analyze security: $(grep -o 'Overall exposure level.*' <<<"$out")"
else
  fail "systemd-analyze security natcheck-fleet.service: $(tail -3 <<<"$out")"
fi
systemctl stop natcheck-fleet.service
result=$(systemctl show -p Result --value natcheck-fleet.service)
status=$(systemctl show -p ExecMainStatus --value natcheck-fleet.service)
if [ "$result" = success ] && [ "$status" = 0 ] && [ ! -e "$link" ] && [ ! -L "$link" ] && [ ! -e /run/natcheck ]; then
  pass "systemctl stop natcheck-fleet.service: Result=success, exit status 0, its link and /run/natcheck gone"
else
  fail "stop natcheck-fleet.service: Result=$result status=$status $(ls -ld "$link" /run/natcheck 2>&1)"
fi

echo "man pages, completion, units:"
pages=0
for page in /usr/share/man/man1/natcheck*.1.gz /usr/share/man/man1/stun-server.1.gz /usr/share/man/man1/whoami-server.1.gz; do
  pages=$((pages + 1))
  text=$(MANWIDTH=80 man --warnings -l "$page" 2>/root/err)
  # *--flag* or =_LABEL_ left in the text: AsciiDoc markup the conversion did not render.
  if grep -q '^OPTIONS' <<<"$text" && [ ! -s /root/err ] && ! grep -qE '\*--|=_[A-Z]' <<<"$text"; then
    :
  else
    fail "man -l $page: $(head -3 /root/err) $(grep -E '\*--|=_[A-Z]' <<<"$text" | head -3)"
  fi
done
[ "$pages" -ge 5 ] && pass "man -l renders $pages pages (natcheck, its subcommands, both daemons) without a warning"
reply=$(bash -c 'source /usr/share/bash-completion/completions/natcheck && complete -p natcheck &&
  COMP_WORDS=(natcheck --tim) COMP_CWORD=1 && _complete_natcheck natcheck --tim natcheck 2>/dev/null &&
  echo "${COMPREPLY[*]}"' 2>&1)
if grep -q 'complete .*-F _complete_natcheck natcheck' <<<"$reply" && grep -qx -- '--timeout' <<<"$(tail -1 <<<"$reply")"; then
  pass "bash completion loads and completes 'natcheck --tim' to --timeout"
else
  fail "bash completion: $reply"
fi
if command -v zsh >/dev/null; then
  found=$(zsh -f -c 'autoload -U compinit && compinit -u -d /tmp/zcompdump && print $_comps[natcheck]' 2>&1)
  if [ "$found" = _natcheck ]; then pass "zsh's compinit finds _natcheck"; else fail "zsh: '$found'"; fi
fi
if out=$(systemd-analyze verify /lib/systemd/system/natcheck-stun.service /lib/systemd/system/natcheck-whoami.service \
  /lib/systemd/system/natcheck-fleet.service 2>&1) && [ -z "$out" ]; then
  pass "systemd-analyze verify: silent on the three installed units"
else
  fail "systemd-analyze verify: $out"
fi

echo "purge:"
systemctl enable natcheck-whoami.service natcheck-fleet.service 2>/dev/null
[ -L /etc/systemd/system/multi-user.target.wants/natcheck-whoami.service ] &&
  [ -L /etc/systemd/system/multi-user.target.wants/natcheck-fleet.service ] &&
  pass "an administrator enabled natcheck-whoami.service and natcheck-fleet.service"
if out=$(dpkg --purge natcheck 2>&1); then pass "dpkg --purge natcheck"; else fail "dpkg --purge: $out"; fi
snapshot >/root/after.txt
if diff /root/before.txt /root/after.txt >/root/diff.txt; then
  pass "nothing left behind outside /usr: every file but /proc, /run, /tmp and logs as before the install"
else
  fail "left behind or changed: $(head -20 /root/diff.txt)"
fi
left=$(find /var/lib/systemd /var/lib/private /var/cache /etc -name '*natcheck*' 2>/dev/null)
if [ -z "$left" ]; then
  pass "no natcheck state in /var/lib/systemd, /var/lib/private, /var/cache or /etc"
else
  fail "left behind: $left"
fi
if ls /var/lib/dpkg/info/natcheck.* >/dev/null 2>&1 || dpkg -s natcheck >/dev/null 2>&1; then
  fail "dpkg still knows natcheck"
else
  pass "dpkg knows natcheck no more"
fi

echo "systemd $(systemctl --version | head -1 | cut -d' ' -f2), $(uname -r): $failures failure(s)"
exit $((failures > 0))
CHECKS
chmod 755 "$ct/root/checks.sh"
expected=$(dpkg-deb -f "$deb" Version | sed 's/~/-/')

systemd-nspawn -D "$ct" --overlay="/usr:$upper:/usr" --private-network --register=no --keep-unit \
  -M "$name" -b --console=read-only >"$console" 2>&1 &
nspawn=$!
leader=
for _ in $(seq 60); do
  # The container's init, not the short-lived helper nspawn forks first.
  leader=$(pgrep -P "$nspawn" -x systemd | head -1) || true
  [ -n "$leader" ] && break
  kill -0 "$nspawn" 2>/dev/null || { cat "$console" >&2; echo "container failed to start" >&2; exit 1; }
  sleep 1
done
[ -n "$leader" ] || { cat "$console" >&2; echo "container failed to start" >&2; exit 1; }
state=$(nsenter -t "$leader" -a timeout 90 systemctl is-system-running --wait 2>&1) || true
echo "container $name booted: $state"
inside=0
nsenter -t "$leader" -a env EXPECTED_VERSION="$expected" PATH=/usr/sbin:/usr/bin:/sbin:/bin /root/checks.sh || inside=$?

# After the purge, the overlay's upper layer must hold no file or link (the whiteouts of the
# Java runtimes removed at the start are character devices) and no directory the host's /usr
# lacks: whatever the package wrote under /usr went away with it.
left=$(cd "$upper" && {
  find . \( -type f -o -type l \) -print
  find . -mindepth 1 -type d -print | while read -r d; do [ -d "/usr/${d#./}" ] || echo "$d/"; done
})
if [ -z "$left" ]; then
  pass "nothing left behind in /usr: the overlay's upper layer holds no file after the purge"
else
  fail "left behind in /usr: $(echo "$left" | head -10 | tr '\n' ' ')"
fi
echo "outside the container: $failures failure(s)"
[ "$failures" = 0 ] && [ "$inside" = 0 ]
