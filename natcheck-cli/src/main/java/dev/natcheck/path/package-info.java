/**
 * The path probe: what lies between this host and the Internet, hop by hop, found with
 * TTL-limited UDP datagrams whose ICMP answers are read from the socket's error queue
 * ({@code IP_RECVERR}, as Debian's {@code tracepath} does: no raw socket, so no root). Linux and
 * IPv4 only; elsewhere a trace is skipped with a note.
 *
 * <p>{@link dev.natcheck.path.PathTrace#trace} runs two legs at once from the probed interface's
 * address, each datagram's TTL told by its destination port:
 *
 * <ul>
 *   <li><b>toward the STUN server</b>: TTL 1, 2, ... ; each router on the way answers ICMP time
 *       exceeded from its own address. The hops up to and including the first one with a public
 *       address ({@link dev.natcheck.classify.AddressScope#PUBLIC}) are the path
 *       ({@code RouteToServer}): behind a home router behind a carrier NAT, 192.168.1.1, then the
 *       carrier's 100.64.0.0/10 side, then a public router.
 *   <li><b>toward the probe's own mapped address</b> (what the STUN server saw): the NAT that
 *       owns that address receives the datagram as addressed to itself and answers port
 *       unreachable from it, so the smallest TTL at which the mapped address answers is the hop
 *       distance of the outermost NAT ({@code OutermostNat}): 1 when the first router owns it, 2
 *       when a second NAT does. It is believed only when every smaller TTL answered time exceeded
 *       from another router; under loss it is unknown, never a guess.
 * </ul>
 *
 * <p>Bounded: TTLs open in small waves ({@code Leg}) so near answers cost no far probes, at most
 * three sends per TTL, at most {@value dev.natcheck.path.Tracer#MAX_PROBES} datagrams per trace,
 * and never longer than the caller's budget ({@link dev.natcheck.path.PathTrace#DEFAULT_BUDGET}).
 * The socket calls are those of module linux-sockets ({@link dev.natcheck.linux.ErrorQueueSocket}),
 * which need native access: natcheck.jar's manifest grants it.
 */
package dev.natcheck.path;
