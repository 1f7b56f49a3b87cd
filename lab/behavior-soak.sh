#!/usr/bin/env bash
# behavior-soak.sh: run `natcheck --behavior` RUNS times in the lab's `lossy` topology and count
# right, inconclusive and wrong answers (target: at least 95 of 100 right, none wrong; docs/lab.md).
#
#   lab/behavior-soak.sh [RUNS]        default 100; needs root, a built natcheck.jar (and
#                                      stun-server.jar with SERVER=natcheck)
#
# Environment:
#   LOSS=0.3          drop probability on the cpe router's FORWARD chain
#   DIRECTION=uplink  uplink: only client-to-Internet packets are dropped (the target's "30 % loss
#                     on the client uplink"); both: the lab's own rule, both directions
#   SERVER=coturn     coturn (turnserver --stun-only) or natcheck (the project's stun-server)
#   OUT=DIR           where the per-run log and the summary go (default: a new temp directory)
#   NETLAB=PATH       lab/netlab.sh to use (default: next to this script)
#
# The expected answer in `lossy` (a cpe NAT: Linux MASQUERADE) is endpoint-independent mapping,
# address-and-port-dependent filtering, no hairpin, no ALG, RFC 3489 "port-restricted cone".
# A run is right when mapping, filtering and the RFC 3489 name are exactly that; inconclusive
# when a finding is missing but none contradicts; wrong when any finding (hairpin and ALG
# included) names another class. The probe's own verdict (CPE_NAT expected) is counted too.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
runs=${1:-100}
loss=${LOSS:-0.3}
direction=${DIRECTION:-uplink}
server=${SERVER:-coturn}
netlab=${NETLAB:-$here/netlab.sh}
out=${OUT:-$(mktemp -d /tmp/behavior-soak.XXXXXX)}
export NETLAB_ID=${NETLAB_ID:-soak$$}
export NETLAB_QUIET=1
export NETLAB_LOSS=$loss
launcher=$root/natcheck-cli/bin/natcheck

die() { echo "behavior-soak: $*" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces, iptables)"
[ -x "$netlab" ] || die "no lab script at $netlab (merge the lab branch or set NETLAB)"
[ -f "$root/natcheck-cli/target/natcheck.jar" ] || die "build first: ./mvnw -q package -DskipTests"
case $direction in uplink | both) ;; *) die "DIRECTION must be uplink or both" ;; esac
[[ $runs =~ ^[0-9]+$ ]] && [ "$runs" -ge 1 ] && [ "$runs" -le 1000 ] || die "RUNS must be 1..1000"
mkdir -p "$out"

# shellcheck source=lab/stun-server.sh
. "$here/stun-server.sh"
cleanup() {
  set +e
  stop_stun_server
  "$netlab" down lossy >/dev/null 2>&1 || true
}
trap cleanup EXIT

"$netlab" up lossy >"$out/facts"
fact() { sed -n "s/^$1=//p" "$out/facts"; }
cli=$(fact ns_cli)
cpe=$(fact ns_cpe)
srv=$(fact ns_srv)
primary=$(fact server4)
alternate=$(fact server4_alt)

if [ "$direction" = uplink ]; then
  # Same drop rule, restricted to what comes in from the home LAN: the client's uplink only.
  ip netns exec "$cpe" iptables -R FORWARD 1 -i lan0 -m statistic --mode random --probability "$loss" -j DROP
fi
ip netns exec "$cpe" iptables -S FORWARD >"$out/forward-rules"

start_stun_server "$server" "$srv" "$primary" "$alternate" "$out"

echo "behavior-soak: $runs runs, $server, loss $loss ($direction), NETLAB_ID=$NETLAB_ID, output in $out" >&2
right=0 inconclusive=0 wrong=0 verdict_ok=0
: >"$out/runs.tsv"
for i in $(seq "$runs"); do
  start=$(date +%s%N)
  line=$(ip netns exec "$cli" timeout 60 "$launcher" -4 -s "$primary" --behavior -o brief 2>>"$out/stderr.log" || true)
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  # interface family verdict mapped mapping filtering hairpin alg rfc3489
  read -r _ _ verdict _ mapping filtering hairpin alg name <<<"$line" || true
  class=right
  for pair in "mapping:$mapping:endpoint-independent" "filtering:$filtering:address-and-port-dependent" \
      "hairpin:$hairpin:no" "alg:$alg:no" "rfc3489:$name:port-restricted-cone"; do
    IFS=: read -r what got want <<<"$pair"
    case $got in
      "$want") ;;
      inconclusive | no-udp-answer | not-supported-by-server | "")
        # hairpin and ALG do not decide a run's class; mapping, filtering and the RFC 3489 name do.
        case $what in mapping | filtering | rfc3489) [ "$class" = wrong ] || class=inconclusive ;; esac ;;
      *) class=wrong ;;
    esac
  done
  case $class in right) right=$((right + 1)) ;; inconclusive) inconclusive=$((inconclusive + 1)) ;;
    wrong) wrong=$((wrong + 1)) ;; esac
  [ "$verdict" = CPE_NAT ] && verdict_ok=$((verdict_ok + 1))
  printf '%d\t%s\t%d\t%s\n' "$i" "$class" "$ms" "$line" >>"$out/runs.tsv"
  printf '\rbehavior-soak: %d/%d right=%d inconclusive=%d wrong=%d' "$i" "$runs" "$right" "$inconclusive" \
    "$wrong" >&2
done
echo >&2

times=$(cut -f3 "$out/runs.tsv" | sort -n)
pct() { echo "$times" | awk -v p="$1" '{a[NR]=$1} END {i=int((NR-1)*p/100)+1; print a[i]}'; }
{
  echo "runs=$runs server=$server loss=$loss direction=$direction"
  echo "right=$right inconclusive=$inconclusive wrong=$wrong"
  echo "probe_verdict_cpe_nat=$verdict_ok"
  echo "wall_ms_p50=$(pct 50) wall_ms_p95=$(pct 95) wall_ms_max=$(pct 100)"
} | tee "$out/summary"
[ "$wrong" -eq 0 ]
