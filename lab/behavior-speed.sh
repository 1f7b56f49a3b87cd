#!/usr/bin/env bash
# behavior-speed.sh: wall time of a full NAT behaviour report (mapping, filtering, hairpin), whole
# process with JVM start, side by side on the same lab topology:
#   natcheck --behavior                 (natcheck-cli/bin/natcheck, with its AOT cache)
#   turnutils_natdiscovery -m -f -H     (coturn's RFC 5780 client)
#   stun SERVER                         (the Vovida client's classic RFC 3489 test)
# all against coturn's turnserver --stun-only in the server namespace. The target for natcheck:
# at most 0.3x natdiscovery's time and no more than stun's (docs/benchmarks.md).
#
#   lab/behavior-speed.sh [TOPOLOGY]    default cpe; needs root, hyperfine, a built natcheck.jar
#
# Environment: RUNS (default 10), WARMUP (default 2), OUT (directory for hyperfine's markdown
# and JSON, default a new temp directory), NETLAB (lab/netlab.sh to use), NATCHECK_AOT=off to
# measure without the AOT cache.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
topology=${1:-cpe}
runs=${RUNS:-10}
warmup=${WARMUP:-2}
netlab=${NETLAB:-$here/netlab.sh}
out=${OUT:-$(mktemp -d /tmp/behavior-speed.XXXXXX)}
export NETLAB_ID=${NETLAB_ID:-speed$$}
export NETLAB_QUIET=1
launcher=$root/natcheck-cli/bin/natcheck

die() { echo "behavior-speed: $*" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces, iptables)"
[ -x "$netlab" ] || die "no lab script at $netlab (merge the lab branch or set NETLAB)"
command -v hyperfine >/dev/null || die "hyperfine is not installed"
[ -f "$root/natcheck-cli/target/natcheck.jar" ] || die "build first: ./mvnw -q package -DskipTests"
[[ $runs =~ ^[0-9]+$ ]] && [ "$runs" -ge 1 ] && [ "$runs" -le 200 ] || die "RUNS must be 1..200"
mkdir -p "$out"

if [ "${NATCHECK_AOT:-on}" != off ]; then
  # The AOT cache is a training run's class list: train on loopback with --behavior so the
  # behaviour classes are in it too. Loopback only: no packet leaves this host.
  NATCHECK_AOT_TRAIN=1 "$launcher" --local -4 --behavior -o brief >"$out/aot-training.log" 2>&1 \
    || die "AOT training run failed: $(cat "$out/aot-training.log")"
fi

# shellcheck source=lab/stun-server.sh
. "$here/stun-server.sh"
cleanup() {
  set +e
  stop_stun_server
  "$netlab" down "$topology" >/dev/null 2>&1 || true
}
trap cleanup EXIT

"$netlab" up "$topology" >"$out/facts"
fact() { sed -n "s/^$1=//p" "$out/facts"; }
cli=$(fact ns_cli)
srv=$(fact ns_srv)
primary=$(fact server4)
alternate=$(fact server4_alt)
client=$(fact client4)

start_stun_server coturn "$srv" "$primary" "$alternate" "$out"

natcheck="ip netns exec $cli $launcher -4 -s $primary --behavior -o brief"
natdiscovery="ip netns exec $cli turnutils_natdiscovery -m -f -H -L $client $primary"
stun="ip netns exec $cli stun $primary"

# What each tool concludes here, once, so the figures below are for right answers.
{
  echo "== natcheck"; $natcheck 2>&1 || true
  echo "== turnutils_natdiscovery -m -f -H"; $natdiscovery 2>&1 | grep -E "NAT with|No NAT|[Hh]airpin" || true
  echo "== stun"; $stun 2>&1 | grep -v "^STUN client" || true
} | tee "$out/answers.txt"

# stun exits with its NAT type as status; hyperfine must not take that for a failure (-i).
hyperfine -N -i --warmup "$warmup" --runs "$runs" --export-markdown "$out/hyperfine.md" \
  --export-json "$out/hyperfine.json" -n "natcheck --behavior" "$natcheck" \
  -n "turnutils_natdiscovery -m -f -H" "$natdiscovery" -n "stun (Vovida, classic)" "$stun"

awk -F'"' '/"command":/ {c=$4} /"mean":/ {split($0, a, ": "); gsub(",", "", a[2]); m[c]=a[2]} END {
  n = m["natcheck --behavior"]; d = m["turnutils_natdiscovery -m -f -H"]; s = m["stun (Vovida, classic)"]
  printf "natcheck %.3f s, natdiscovery %.3f s, stun %.3f s: natcheck/natdiscovery = %.3f (target <= 0.3), natcheck/stun = %.2f (target <= 1)\n", n, d, s, n / d, n / s
}' "$out/hyperfine.json" | tee "$out/ratios.txt"
echo "behavior-speed: results in $out" >&2
