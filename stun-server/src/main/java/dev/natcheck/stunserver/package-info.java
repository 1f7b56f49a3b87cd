/**
 * The STUN server daemon: answers Binding requests with the address each client was seen from,
 * and with an alternate address is an RFC 5780 NAT-behaviour-discovery server.
 *
 * <p>{@link dev.natcheck.stunserver.StunServer} is the embeddable server (natcheck's
 * {@code --local} mode starts it in-process), configured by a
 * {@link dev.natcheck.stunserver.StunServerConfig}; {@code ReceiveLoop} holds the per-socket
 * answer rules (what is answered, from which socket, what is dropped), moving datagrams
 * either through NIO or, on Linux, in batches with {@code recvmmsg}/{@code sendmmsg} through the
 * FFM API ({@link dev.natcheck.stunserver.SocketIo}; {@code NativeBatch}, on the calls of module
 * linux-sockets, {@link dev.natcheck.linux.LinuxUdp});
 * {@code SourceRateLimiter} the bounded per-source token buckets;
 * {@link dev.natcheck.stunserver.Counter} what is counted and
 * {@link dev.natcheck.stunserver.MetricsEndpoint} how it is exported;
 * {@link dev.natcheck.stunserver.StunServerCommand} the command-line flags of the daemon;
 * {@link dev.natcheck.stunserver.WebCheck} the browser check page ({@code --web}) and
 * {@code ProvenSources} the sources it vouches for, whose bare requests are answered.
 */
package dev.natcheck.stunserver;
