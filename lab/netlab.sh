#!/usr/bin/env bash
# netlab.sh: build NAT topologies from network namespaces, veth pairs and iptables.
#
#   lab/netlab.sh up TOPOLOGY         build it (tears down a stale copy first); prints key=value facts
#   lab/netlab.sh down TOPOLOGY|all   remove it; idempotent, kills what still runs inside
#   lab/netlab.sh exec TOPOLOGY ROLE CMD [ARG...]   run CMD in the namespace of ROLE
#   lab/netlab.sh list [TOPOLOGY]     list topologies (and which are up), or one topology's facts
#   lab/netlab.sh gateway TOPOLOGY KIND   start a gateway daemon on the cpe router of a topology
#                                     that is up: miniupnpd, or miniupnpd-stun (needs the STUN
#                                     server on 203.0.113.10:3478 running first)
#
# Peer-to-peer topologies are named pair-KIND-KIND: two clients, each behind its own kind of NAT
# (open fullcone restricted portrestricted symmetric udpblocked, and sequential: a symmetric NAT
# that counts its ports), both on the stand-in Internet.
#
# Environment: NETLAB_ID (default "nl") prefixes every namespace so parallel runs never collide;
# NETLAB_LOSS (default 0.2) is the drop probability of the `lossy` topology; NETLAB_PAIR_LOSS
# (default 0) the drop probability on each NAT of a pair topology, both directions;
# NETLAB_GATEWAY=miniupnpd starts the gateway with `up` (NETLAB_NATPMP=1 is an older name for it):
# Debian's miniupnpd on the cpe router with PCP, NAT-PMP and UPnP IGD, answering on its LAN side.
# Everything lives inside namespaces this script creates: the veth pairs are created inside them
# and the root namespace is never touched. See docs/lab.md for the address plan.
set -euo pipefail

ID=${NETLAB_ID:-nl}
LOSS=${NETLAB_LOSS:-0.2}
PAIR_LOSS=${NETLAB_PAIR_LOSS:-0}
GATEWAY=${NETLAB_GATEWAY:-}
if [ "${NETLAB_NATPMP:-0}" = 1 ] && [ -z "$GATEWAY" ]; then GATEWAY=miniupnpd; fi
TOPOLOGIES=(open cpe symmetric fullcone cgnat-direct cgnat10 cgnat cgnat10-home doublenat udpblocked udpreject
  allblocked nat66 v6open lossy)
# The NAT kinds of a pair topology's two sides, in the order `list` pairs them.
PAIR_KINDS=(open fullcone restricted portrestricted symmetric udpblocked)
# Kinds a pair may have beyond those six (not listed as pairs of their own).
EXTRA_KINDS=(sequential)
# Every role any topology has: what `down` looks for.
ALL_ROLES="cli cpe cpe0 cgn peer peer_cpe inet srv"
# The home router's LAN address, where a gateway daemon answers, and its UPnP HTTP port.
GATEWAY4=192.168.1.1
UPNP_HTTP_PORT=5000

# Address plan. The stand-in Internet is 203.0.113.0/24 (server side), 198.51.100.0/24 (access
# side) and 2001:db8::/32; every topology's outermost box sits at 198.51.100.2, so that is the
# outside address the server sees whenever IPv4 is translated.
SRV4=203.0.113.10
SRV4_ALT=203.0.113.11
SRV6=2001:db8:f::10
SRV6_ALT=2001:db8:f::11
EDGE4=198.51.100.2
EDGE6=2001:db8:1::2
# The second client's edge in pair topologies: another address of the access network.
PEER_EDGE4=198.51.100.130

die() { echo "netlab: $*" >&2; exit 2; }
[[ $ID =~ ^[A-Za-z0-9]+$ ]] || die "NETLAB_ID must be letters and digits only (got '$ID')"
log() { [ -n "${NETLAB_QUIET:-}" ] || echo "netlab: $*" >&2; }

ns() { echo "$ID-$TOPO-$1"; }
in_ns() { local role=$1; shift; ip netns exec "$(ns "$role")" "$@"; }

known_topology() {
  local t
  for t in "${TOPOLOGIES[@]}"; do [ "$t" = "$1" ] && return 0; done
  is_pair "$1"
}

known_kind() {
  local k
  for k in "${PAIR_KINDS[@]}" "${EXTRA_KINDS[@]}"; do [ "$k" = "$1" ] && return 0; done
  return 1
}

# is_pair NAME: NAME is pair-KIND-KIND with two known kinds (either order).
is_pair() {
  [[ $1 =~ ^pair-([a-z]+)-([a-z]+)$ ]] && known_kind "${BASH_REMATCH[1]}" && known_kind "${BASH_REMATCH[2]}"
}

# The two kinds of a pair topology, "A B".
pair_kinds() {
  local rest=${1#pair-}
  echo "${rest%%-*} ${rest#*-}"
}

# The 21 unordered pairs, each once.
all_pairs() {
  local i j
  for ((i = 0; i < ${#PAIR_KINDS[@]}; i++)); do
    for ((j = i; j < ${#PAIR_KINDS[@]}; j++)); do echo "pair-${PAIR_KINDS[i]}-${PAIR_KINDS[j]}"; done
  done
}

# Roles per topology, client first; the last one before inet is the edge box at 198.51.100.2.
roles() {
  if is_pair "$1"; then
    local a b
    read -r a b <<<"$(pair_kinds "$1")"
    echo "cli$([ "$a" = open ] || echo ' cpe') peer$([ "$b" = open ] || echo ' peer_cpe') inet srv"
    return
  fi
  case $1 in
    open) echo "cli inet srv" ;;
    cgnat-direct | cgnat10) echo "cli cgn inet srv" ;;
    cgnat | cgnat10-home) echo "cli cpe cgn inet srv" ;;
    doublenat) echo "cli cpe cpe0 inet srv" ;;
    *) echo "cli cpe inet srv" ;;
  esac
}

add_ns() {
  local name
  name=$(ns "$1")
  ip netns add "$name"
  ip -n "$name" link set lo up
  # Each namespace gets its own resolver files so no lookup can leave the lab: DNS goes to the
  # namespace's own loopback (nothing listens there) and the lab names resolve from hosts.
  mkdir -p "/etc/netns/$name"
  printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"/etc/netns/$name/resolv.conf"
  cat >"/etc/netns/$name/hosts" <<EOF
127.0.0.1 localhost
::1 localhost ip6-localhost ip6-loopback
$SRV4 stun.lab stun1.lab whoami.lab
$SRV4_ALT stun2.lab
$SRV6 stun.lab stun1.lab whoami.lab
$SRV6_ALT stun2.lab
EOF
}

# link A IFA B IFB: a veth pair created inside A with its peer moved straight into B.
link() {
  ip -n "$(ns "$1")" link add "$2" type veth peer name "$4" netns "$(ns "$3")"
  ip -n "$(ns "$1")" link set "$2" up
  ip -n "$(ns "$3")" link set "$4" up
}

addr() {
  local role=$1 dev=$2; shift 2
  local a
  for a in "$@"; do
    # nodad: without it an IPv6 address stays tentative for about a second and binds fail.
    case $a in *:*) ip -n "$(ns "$role")" addr add "$a" dev "$dev" nodad ;;
      *) ip -n "$(ns "$role")" addr add "$a" dev "$dev" ;; esac
  done
}

# route ROLE [-6] ARGS...: add a route in ROLE's namespace.
route() {
  local role=$1; shift
  if [ "$1" = -6 ]; then shift; ip -6 -n "$(ns "$role")" route add "$@"; else ip -n "$(ns "$role")" route add "$@"; fi
}

forwarding() {
  in_ns "$1" sysctl -qw net.ipv4.ip_forward=1
  in_ns "$1" sysctl -qw net.ipv6.conf.all.forwarding=1
}

# Server and Internet router, shared by every topology.
build_core() {
  add_ns srv
  add_ns inet
  link inet srv0 srv eth0
  addr srv eth0 "$SRV4/24" "$SRV4_ALT/24" "$SRV6/64" "$SRV6_ALT/64"
  route srv default via 203.0.113.1
  route srv -6 default via 2001:db8:f::1
  addr inet srv0 203.0.113.1/24 2001:db8:f::1/64
  forwarding inet
}

# edge ROLE: attach ROLE's wan0 to the Internet router at 198.51.100.2 / 2001:db8:1::2.
edge() {
  link inet edge0 "$1" wan0
  addr inet edge0 198.51.100.1/24 2001:db8:1::1/64
  addr "$1" wan0 "$EDGE4/24" "$EDGE6/64"
  route "$1" default via 198.51.100.1
  route "$1" -6 default via 2001:db8:1::1
}

# home LAN: client 192.168.1.2 behind the cpe's lan0.
home_lan() {
  link cpe lan0 cli eth0
  addr cpe lan0 192.168.1.1/24
  addr cli eth0 192.168.1.2/24
  route cli default via 192.168.1.1
  forwarding cpe
}

masquerade() { in_ns "$1" iptables -t nat -A POSTROUTING -o wan0 -j MASQUERADE "${@:2}"; }

# dmz ROUTER HOST: any UDP arriving on the WAN goes to HOST on the same port (the router's DMZ
# host). MASQUERADE keeps source ports when they are free, so whoever learns a mapping reaches
# the host through it.
dmz() { in_ns "$1" iptables -t nat -A PREROUTING -i wan0 -p udp -j DNAT --to-destination "$2"; }

# Address-dependent filtering (a restricted cone) on ROUTER, on top of dmz: a datagram from the
# WAN that belongs to no existing flow gets in only if the LAN socket it goes to (address and
# port) has sent to the sender's address before, from that socket to any port. Conntrack alone
# filters by address and port, and iptables' `recent` match keys on one address for the whole
# router (one socket's traffic would open every other socket), so this is an nftables set keyed
# by (LAN address, LAN port, remote address): one entry per mapping and peer, as a
# restricted-cone NAT keeps them.
restricted_filter() {
  in_ns "$1" nft -f - <<'NFT'
table ip netlab_restricted {
  set contacted {
    type ipv4_addr . inet_service . ipv4_addr
    flags dynamic,timeout
    timeout 120s
  }
  chain forward {
    type filter hook forward priority filter + 10; policy accept;
    iifname "lan0" oifname "wan0" meta l4proto udp update @contacted { ip saddr . udp sport . ip daddr }
    iifname "wan0" ct state established,related accept
    iifname "wan0" meta l4proto udp ip daddr . udp dport . ip saddr @contacted accept
    iifname "wan0" meta l4proto udp drop
  }
}
NFT
}

# A symmetric NAT that counts: every new UDP flow out of wan0 gets the next port from 20000 up
# (wrapping after 1000), whatever the client and destination. Linux's own allocation keeps the
# source port or (with --random-fully) picks one at random, so this is nftables' snat with a
# counter. The counter goes through a map because nft would store its 32-bit value in host byte
# order where the port is read in network order (20000 came out as 8270).
sequential_nat() {
  local router=$1 edge=$2 k elements=""
  for ((k = 0; k < 1000; k++)); do elements+="$k : $((20000 + k)), "; done
  in_ns "$router" nft -f - <<NFT
table ip netlab_sequential {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "wan0" meta l4proto udp snat to $edge : numgen inc mod 1000 map { ${elements%, } }
    oifname "wan0" masquerade
  }
}
NFT
}

# pair_side CLIENT ROUTER KIND INET_IF INET_ADDR EDGE_ADDR LAN: one side of a pair topology, on
# an access subnet of its own (INET_ADDR/25), so both edges sit in 198.51.100.0/24 and the
# Internet router routes between them. An `open` client sits on that subnet itself (no ROUTER);
# any other kind is a router at EDGE_ADDR with the client at LAN.2 behind it.
pair_side() {
  local client=$1 router=$2 kind=$3 inet_if=$4 inet_addr=$5 edge_addr=$6 lan=$7
  if [ "$kind" = open ]; then
    link inet "$inet_if" "$client" eth0
    addr inet "$inet_if" "$inet_addr/25"
    addr "$client" eth0 "$edge_addr/25"
    route "$client" default via "$inet_addr"
    return
  fi
  link inet "$inet_if" "$router" wan0
  addr inet "$inet_if" "$inet_addr/25"
  addr "$router" wan0 "$edge_addr/25"
  route "$router" default via "$inet_addr"
  link "$router" lan0 "$client" eth0
  addr "$router" lan0 "$lan.1/24"
  addr "$client" eth0 "$lan.2/24"
  route "$client" default via "$lan.1"
  in_ns "$router" sysctl -qw net.ipv4.ip_forward=1
  # Unsolicited UDP for the router itself is dropped, as home routers do. Answered instead (ICMP
  # port unreachable), it leaves a conntrack entry for the sender's address and port, and a
  # datagram the client then sends there collides with it: MASQUERADE gives that one another
  # source port, so a peer whose check arrived first would never see the mapping it punched for.
  in_ns "$router" iptables -A INPUT -i wan0 -p udp -m conntrack --ctstate NEW -j DROP
  # Loss first, so that it hits every forwarded datagram, both directions, whatever the kind.
  if [ "$PAIR_LOSS" != 0 ]; then
    in_ns "$router" iptables -A FORWARD -m statistic --mode random --probability "$PAIR_LOSS" -j DROP
  fi
  case $kind in
    fullcone)
      masquerade "$router"
      dmz "$router" "$lan.2"
      ;;
    restricted)
      masquerade "$router"
      dmz "$router" "$lan.2"
      restricted_filter "$router"
      ;;
    portrestricted) masquerade "$router" ;;
    # A fresh random port for every new conntrack tuple: address-and-port-dependent mapping.
    symmetric) masquerade "$router" --random-fully ;;
    sequential) sequential_nat "$router" "$edge_addr" ;;
    udpblocked)
      masquerade "$router"
      in_ns "$router" iptables -A FORWARD -p udp -j DROP
      ;;
    *) die "unknown NAT kind '$kind'" ;;
  esac
}

# Side A is cli (behind cpe) seen as 198.51.100.2; side B is peer (behind peer_cpe) seen as
# 198.51.100.130. Nothing but the Internet router joins them.
build_pair() {
  local a b
  read -r a b <<<"$(pair_kinds "$1")"
  pair_side cli cpe "$a" edge0 198.51.100.1 "$EDGE4" 192.168.1
  pair_side peer peer_cpe "$b" edge1 198.51.100.129 "$PEER_EDGE4" 192.168.2
}

build() {
  local topo=$1
  build_core
  local r
  for r in $(roles "$topo"); do
    case $r in srv | inet) ;; *) add_ns "$r" ;; esac
  done
  if is_pair "$topo"; then
    build_pair "$topo"
    return
  fi
  case $topo in
    open)
      link inet edge0 cli eth0
      addr inet edge0 198.51.100.1/24
      addr cli eth0 "$EDGE4/24"
      route cli default via 198.51.100.1
      ;;
    cpe | udpblocked | udpreject | allblocked | lossy)
      edge cpe
      home_lan
      masquerade cpe
      case $topo in
        udpblocked) in_ns cpe iptables -A FORWARD -p udp -j DROP ;;
        udpreject) in_ns cpe iptables -A FORWARD -p udp -j REJECT --reject-with icmp-port-unreachable ;;
        allblocked) in_ns cpe iptables -A FORWARD -j DROP ;;
        # Loss on the router's FORWARD chain, both directions: dropping in the client's own
        # OUTPUT chain would make send() fail instead of losing the datagram.
        lossy) in_ns cpe iptables -A FORWARD -m statistic --mode random --probability "$LOSS" -j DROP ;;
      esac
      ;;
    symmetric)
      edge cpe
      home_lan
      # A fresh random port for every new conntrack tuple: address-and-port-dependent mapping.
      masquerade cpe --random-fully
      ;;
    fullcone)
      edge cpe
      home_lan
      masquerade cpe
      # The client is the router's DMZ host: any UDP arriving on the WAN goes to the client on
      # the same port, so whoever learns the mapping can reach it (endpoint-independent
      # filtering). MASQUERADE keeps the source port when it is free, which it is here.
      in_ns cpe iptables -t nat -A PREROUTING -i wan0 -p udp -j DNAT --to-destination 192.168.1.2
      ;;
    cgnat-direct)
      edge cgn
      link cgn lan0 cli eth0
      addr cgn lan0 100.64.1.1/24
      addr cli eth0 100.64.1.2/24
      route cli default via 100.64.1.1
      forwarding cgn
      masquerade cgn
      ;;
    cgnat10)
      edge cgn
      link cgn lan0 cli eth0
      addr cgn lan0 10.0.0.1/24
      addr cli eth0 10.0.0.2/24
      route cli default via 10.0.0.1
      forwarding cgn
      masquerade cgn
      ;;
    cgnat)
      edge cgn
      link cgn lan0 cpe wan0
      addr cgn lan0 100.64.1.1/24
      addr cpe wan0 100.64.1.2/24
      route cpe default via 100.64.1.1
      forwarding cgn
      masquerade cgn
      home_lan
      masquerade cpe
      ;;
    cgnat10-home)
      # A home router behind a carrier NAT numbered from 10.0.0.0/8 inside.
      edge cgn
      link cgn lan0 cpe wan0
      addr cgn lan0 10.0.0.1/24
      addr cpe wan0 10.0.0.2/24
      route cpe default via 10.0.0.1
      forwarding cgn
      masquerade cgn
      home_lan
      masquerade cpe
      ;;
    doublenat)
      # Two home routers in a row: cpe0 (LAN 192.168.0.0/24) on the access network, the user's
      # own cpe (LAN 192.168.1.0/24) behind it.
      edge cpe0
      link cpe0 lan0 cpe wan0
      addr cpe0 lan0 192.168.0.1/24
      addr cpe wan0 192.168.0.2/24
      route cpe default via 192.168.0.1
      forwarding cpe0
      masquerade cpe0
      home_lan
      masquerade cpe
      ;;
    nat66)
      edge cpe
      home_lan
      masquerade cpe
      addr cpe lan0 fd00:2::1/64
      addr cli eth0 fd00:2::2/64
      route cli -6 default via fd00:2::1
      # Stateless 1:1 prefix translation of the ULA LAN onto a global prefix.
      in_ns cpe ip6tables -t nat -A POSTROUTING -o wan0 -s fd00:2::/64 -j NETMAP --to 2001:db8:2::/64
      route inet -6 2001:db8:2::/64 via "$EDGE6"
      ;;
    v6open)
      edge cpe
      home_lan
      masquerade cpe
      # IPv6 is routed, not translated: the client's global address is what the server sees.
      addr cpe lan0 2001:db8:3::1/64
      addr cli eth0 2001:db8:3::2/64
      route cli -6 default via 2001:db8:3::1
      route inet -6 2001:db8:3::/64 via "$EDGE6"
      ;;
    *) die "unknown topology '$topo'" ;;
  esac
}

# The cpe router's runtime directory: miniupnpd's config, pidfile, lease file and log.
gateway_dir() { echo "/run/netlab/$(ns cpe)"; }

# A real gateway on the cpe router: miniupnpd with PCP, NAT-PMP and UPnP IGD, answering on lan0
# only. Kind `miniupnpd` takes its external address from wan0 (and, being miniupnpd 2.x, withholds
# it from NAT-PMP and UPnP when it is private, shared or reserved); `miniupnpd-stun` learns it with
# STUN from the lab's server (ext_perform_stun), as a router behind another NAT can. The daemon
# runs in the foreground (-d) inside the cpe namespace, so `down` ends it with that namespace's
# other processes. Its nftables rules go to a table of its own in the cpe namespace whose chains
# accept by default, so they change nothing until the daemon adds a mapping.
start_gateway() {
  local kind=$1
  [[ " $(roles "$TOPO") " == *" cpe "* ]] || die "a gateway needs a topology with a cpe router (not $TOPO)"
  case $kind in miniupnpd | miniupnpd-stun) ;; *) die "unknown gateway kind '$kind' (miniupnpd, miniupnpd-stun)" ;; esac
  local daemon=/usr/sbin/miniupnpd
  [ -x "$daemon" ] || die "the gateway needs miniupnpd (apt-get install miniupnpd-nftables)"
  command -v nft >/dev/null || die "the gateway needs nft (apt-get install nftables)"
  local dir
  dir=$(gateway_dir)
  [ -n "$dir" ] || die "no gateway directory"
  rm -rf "$dir"
  mkdir -p "$dir"
  printf '%s\n' 'table inet miniupnpd {' \
    '  chain forward_miniupnpd { }' \
    '  chain prerouting_miniupnpd { type nat hook prerouting priority dstnat; policy accept; }' \
    '  chain postrouting_miniupnpd { type nat hook postrouting priority srcnat; policy accept; }' \
    '}' >"$dir/miniupnpd.nft"
  in_ns cpe nft -f "$dir/miniupnpd.nft"
  {
    echo "ext_ifname=wan0"
    echo "listening_ip=lan0"
    echo "http_port=$UPNP_HTTP_PORT"
    echo "enable_natpmp=yes"
    echo "enable_upnp=yes"
    echo "secure_mode=yes"
    echo "system_uptime=yes"
    echo "uuid=3d3cec3a-8cf0-11e0-98ee-001a6bd2d07d"
    echo "lease_file=$dir/leases"
    echo "upnp_table_name=miniupnpd"
    echo "upnp_nat_table_name=miniupnpd"
    echo "upnp_forward_chain=forward_miniupnpd"
    echo "upnp_nat_chain=prerouting_miniupnpd"
    echo "upnp_nat_postrouting_chain=postrouting_miniupnpd"
    if [ "$kind" = miniupnpd-stun ]; then
      echo "ext_perform_stun=yes"
      echo "ext_stun_host=$SRV4"
      echo "ext_stun_port=3478"
    fi
    echo "allow 1024-65535 192.168.1.0/24 1024-65535"
    echo "deny 0-65535 0.0.0.0/0 0-65535"
  } >"$dir/miniupnpd.conf"
  echo "$kind" >"$dir/kind"
  # setsid and redirected descriptors: the daemon must not keep this script's stdout open (a
  # caller reading the facts would wait on it forever) nor share its session.
  in_ns cpe setsid "$daemon" -f "$dir/miniupnpd.conf" -d -P "$dir/miniupnpd.pid" \
    </dev/null >"$dir/miniupnpd.log" 2>&1 &
  # With STUN the daemon first waits up to 3 s per unanswered round of its own tests.
  local _
  for _ in $(seq 300); do
    if in_ns cpe ss -Hlun 'sport = :5351' | grep -q . \
      && in_ns cpe ss -Hltn "sport = :$UPNP_HTTP_PORT" | grep -q .; then
      log "miniupnpd ($kind, pid $(cat "$dir/miniupnpd.pid" 2>/dev/null || echo '?')) answers PCP/NAT-PMP on" \
        "$GATEWAY4:5351 and UPnP on $GATEWAY4:$UPNP_HTTP_PORT"
      return 0
    fi
    sleep 0.1
  done
  cat "$dir/miniupnpd.log" >&2 || true
  die "miniupnpd did not start listening on UDP 5351 and TCP $UPNP_HTTP_PORT in $(ns cpe)"
}

# Facts a test or a person needs: where the servers are, what the client is and what the
# server should see. One key=value a line.
facts() {
  local topo=$1
  echo "topology=$topo"
  local r
  for r in $(roles "$topo"); do echo "ns_$r=$(ns "$r")"; done
  echo "server4=$SRV4"
  echo "server4_alt=$SRV4_ALT"
  echo "server6=$SRV6"
  echo "server6_alt=$SRV6_ALT"
  if is_pair "$topo"; then
    local a b
    read -r a b <<<"$(pair_kinds "$topo")"
    echo "kind=$a"
    echo "client4=$([ "$a" = open ] && echo "$EDGE4" || echo 192.168.1.2)"
    echo "mapped4=$EDGE4"
    echo "peer_kind=$b"
    echo "peer4=$([ "$b" = open ] && echo "$PEER_EDGE4" || echo 192.168.2.2)"
    echo "peer_mapped4=$PEER_EDGE4"
    return
  fi
  case $topo in
    open) echo "client4=$EDGE4" ;;
    cgnat-direct) echo "client4=100.64.1.2" ;;
    cgnat10) echo "client4=10.0.0.2" ;;
    *) echo "client4=192.168.1.2" ;;
  esac
  echo "mapped4=$EDGE4"
  if [[ " $(roles "$topo") " == *" cpe "* ]]; then
    # The home router: its LAN address (the client's default gateway) and its own WAN address.
    echo "gateway4=$GATEWAY4"
    case $topo in
      cgnat) echo "cpe_wan4=100.64.1.2" ;;
      cgnat10-home) echo "cpe_wan4=10.0.0.2" ;;
      doublenat) echo "cpe_wan4=192.168.0.2" ;;
      *) echo "cpe_wan4=$EDGE4" ;;
    esac
  fi
  case $topo in
    nat66) echo "client6=fd00:2::2"; echo "mapped6=2001:db8:2::2" ;;
    v6open) echo "client6=2001:db8:3::2"; echo "mapped6=2001:db8:3::2" ;;
  esac
  if [[ " $(roles "$topo") " == *" cpe "* ]] && [ -f "$(gateway_dir)/kind" ]; then
    echo "gateway_kind=$(cat "$(gateway_dir)/kind")"
    echo "gateway_dir=$(gateway_dir)"
    echo "upnp_location=http://$GATEWAY4:$UPNP_HTTP_PORT/rootDesc.xml"
  fi
}

is_up() { ip netns list | awk -v n="$(ns srv)" '$1 == n { found = 1 } END { exit !found }'; }

# down TOPOLOGY|all: `all` is every topology of this run id, pairs included.
down() {
  local topo=$1 name pid roles_re="(${ALL_ROLES// /|})"
  [ "$topo" = all ] && topo='.+'
  # Namespaces of this run and topology, whatever roles they had.
  for name in $(ip netns list | awk '{print $1}' | grep -E "^$ID-$topo-$roles_re\$" || true); do
    # A namespace outlives `ip netns del` while a process still runs in it: end those first.
    for pid in $(ip netns pids "$name" 2>/dev/null || true); do kill "$pid" 2>/dev/null || true; done
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      [ -z "$(ip netns pids "$name" 2>/dev/null || true)" ] && break
      sleep 0.2
    done
    for pid in $(ip netns pids "$name" 2>/dev/null || true); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del "$name" 2>/dev/null || true
  done
  local dir
  for dir in /etc/netns/"$ID"-* /run/netlab/"$ID"-*; do
    if [[ -e $dir && ${dir##*/} =~ ^$ID-$topo-$roles_re$ ]]; then rm -rf "$dir"; fi
  done
}

require_root() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces and iptables)"
  command -v ip >/dev/null || die "iproute2 (ip) is not installed"
  command -v iptables >/dev/null || die "iptables is not installed"
}

# usage [STATUS]: the header comment and the topology names; on stderr unless asked for.
usage() {
  local status=${1:-2}
  {
    sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'
    echo "Topologies: ${TOPOLOGIES[*]}"
    echo "Pair topologies: pair-KIND-KIND, KIND one of: ${PAIR_KINDS[*]} ${EXTRA_KINDS[*]}"
    echo "Roles: $ALL_ROLES (see \`list TOPOLOGY\`)"
  } >&$((status == 0 ? 1 : 2))
  exit "$status"
}

cmd=${1:-}
[ -n "$cmd" ] || usage
shift
case $cmd in
  up)
    [ $# -eq 1 ] || usage
    TOPO=$1
    known_topology "$TOPO" || die "unknown topology '$TOPO' (one of: ${TOPOLOGIES[*]})"
    require_root
    down "$TOPO"
    # A half-built topology is worse than none: remove it when any step fails.
    trap 'rc=$?; [ $rc -eq 0 ] || { echo "netlab: up $TOPO failed, removing it" >&2; down "$TOPO"; }' EXIT
    build "$TOPO"
    if [ -n "$GATEWAY" ]; then start_gateway "$GATEWAY"; fi
    log "$TOPO is up"
    facts "$TOPO"
    ;;
  down)
    [ $# -eq 1 ] || usage
    require_root
    if [ "$1" = all ]; then
      down all
    else
      known_topology "$1" || die "unknown topology '$1' (one of: ${TOPOLOGIES[*]})"
      TOPO=$1
      down "$TOPO"
    fi
    ;;
  exec)
    [ $# -ge 3 ] || usage
    TOPO=$1
    known_topology "$TOPO" || die "unknown topology '$TOPO'"
    role=$2
    shift 2
    [[ " $(roles "$TOPO") " == *" $role "* ]] || die "$TOPO has no role '$role' (roles: $(roles "$TOPO"))"
    is_up || die "$TOPO is not up (NETLAB_ID=$ID)"
    exec ip netns exec "$(ns "$role")" "$@"
    ;;
  gateway)
    [ $# -eq 2 ] || usage
    TOPO=$1
    known_topology "$TOPO" || die "unknown topology '$TOPO'"
    require_root
    is_up || die "$TOPO is not up (NETLAB_ID=$ID)"
    start_gateway "$2"
    facts "$TOPO"
    ;;
  list)
    if [ $# -eq 0 ]; then
      for TOPO in "${TOPOLOGIES[@]}" $(all_pairs); do
        if is_up; then echo "$TOPO up"; else echo "$TOPO down"; fi
      done
    else
      TOPO=$1
      known_topology "$TOPO" || die "unknown topology '$TOPO'"
      facts "$TOPO"
      if is_up; then echo "state=up"; else echo "state=down"; fi
    fi
    ;;
  -h | --help | help) usage 0 ;;
  *) usage ;;
esac
