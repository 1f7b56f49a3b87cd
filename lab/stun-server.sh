# stun-server.sh: sourced by the lab's measuring scripts (behavior-soak.sh, behavior-speed.sh).
# Starts an RFC 5780 STUN server in a lab namespace and stops it again.
#
#   start_stun_server KIND NS PRIMARY ALTERNATE OUT
#       KIND coturn (turnserver --stun-only) or natcheck (this project's stun-server, built);
#       listens on PRIMARY and ALTERNATE, ports 3478 and 3479, inside namespace NS; logs to
#       OUT/server.log. Returns once all four sockets listen; calls the caller's die() if they
#       do not within 10 s. Sets stun_server_pid.
#   stop_stun_server
#       Ends the server started above, if any (for the caller's EXIT trap).
#
# Needs $root (the repository) and a die() function from the caller.

stun_server_pid=

start_stun_server() {
  local kind=$1 ns=$2 primary=$3 alternate=$4 out=$5 listening=0
  case $kind in
    coturn)
      ip netns exec "$ns" turnserver -n --stun-only -L "$primary" -L "$alternate" --listening-port 3478 \
        --alt-listening-port 3479 --no-cli --no-tls --no-dtls --no-tcp --log-file stdout --simple-log \
        --pidfile "$out/turnserver.pid" >"$out/server.log" 2>&1 &
      ;;
    natcheck)
      ip netns exec "$ns" "$root/stun-server/bin/stun-server" --listen "$primary" \
        --alternate "$alternate" --port 3478 --alt-port 3479 >"$out/server.log" 2>&1 &
      ;;
    *) die "SERVER must be coturn or natcheck" ;;
  esac
  stun_server_pid=$!
  for _ in $(seq 100); do
    listening=$(ip netns exec "$ns" ss -Hlun | grep -cE "($primary|$alternate):(3478|3479) " || true)
    [ "$listening" -ge 4 ] && return 0
    sleep 0.1
  done
  die "$kind did not listen on all four addresses: $(cat "$out/server.log")"
}

stop_stun_server() {
  if [ -n "$stun_server_pid" ]; then
    kill "$stun_server_pid" 2>/dev/null
    wait "$stun_server_pid" 2>/dev/null
    stun_server_pid=
  fi
}
