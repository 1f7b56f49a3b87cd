package dev.natcheck.classify;

import dev.natcheck.asn.AsnRecord;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one probe (one interface, one address family) learned, as the classifier sees it.
 *
 * @param inside the local socket address the probe sent from
 * @param outside the address a server reported (STUN mapped address or whoami line); empty when
 *     nothing answered
 * @param transport which probe produced {@code outside}; empty when nothing answered
 * @param mappingVariesByDestination whether a second binding to a different destination saw a
 *     different mapping; empty when that check could not run
 * @param overlay the interface is an overlay (tailscale*, wg*, tun*, utun*, zt*)
 * @param outsideAsn origin AS of {@code outside}, when an ASN provider knew it
 * @param gatewayExternal the gateway's own external address (NAT-PMP / PCP / UPnP), when known
 * @param udp what came back over UDP ({@link Reply#ADDRESS} exactly when {@code transport} is UDP)
 * @param tcp what came back from the TCP echo ({@link Reply#ADDRESS} exactly when {@code transport} is TCP)
 * @param path what TTL-limited probes saw on the way out, when they ran
 */
public record Observation(
        InetSocketAddress inside,
        Optional<InetSocketAddress> outside,
        Optional<Transport> transport,
        Optional<Boolean> mappingVariesByDestination,
        boolean overlay,
        Optional<AsnRecord> outsideAsn,
        Optional<InetAddress> gatewayExternal,
        Reply udp,
        Reply tcp,
        Optional<OutboundPath> path) {

    public Observation {
        Objects.requireNonNull(inside, "inside");
        Objects.requireNonNull(outside, "outside");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(mappingVariesByDestination, "mappingVariesByDestination");
        Objects.requireNonNull(outsideAsn, "outsideAsn");
        Objects.requireNonNull(gatewayExternal, "gatewayExternal");
        Objects.requireNonNull(udp, "udp");
        Objects.requireNonNull(tcp, "tcp");
        Objects.requireNonNull(path, "path");
        if (outside.isPresent() != transport.isPresent()) {
            throw new IllegalArgumentException("outside and transport are present together or not at all");
        }
        if ((udp == Reply.ADDRESS) != transport.equals(Optional.of(Transport.UDP))
                || (tcp == Reply.ADDRESS) != transport.equals(Optional.of(Transport.TCP))) {
            throw new IllegalArgumentException(
                    "the transport that gave the outside address is the one whose reply is ADDRESS");
        }
    }

    /** A STUN server answered over UDP with {@code outside}. */
    public static Observation udp(InetSocketAddress inside, InetSocketAddress outside) {
        return probed(inside, Optional.of(outside), Optional.of(Transport.UDP), Reply.ADDRESS, Reply.NOT_TRIED);
    }

    /** UDP got nothing; the whoami echo over TCP answered with {@code outside}. */
    public static Observation tcp(InetSocketAddress inside, InetSocketAddress outside) {
        return probed(inside, Optional.of(outside), Optional.of(Transport.TCP), Reply.SILENT, Reply.ADDRESS);
    }

    /** Nothing answered at all. */
    public static Observation unanswered(InetSocketAddress inside) {
        return probed(inside, Optional.empty(), Optional.empty(), Reply.SILENT, Reply.SILENT);
    }

    /** What a probe itself saw, before the checks that add to it (second destination, overlay, ASN, gateway, path). */
    private static Observation probed(
            InetSocketAddress inside,
            Optional<InetSocketAddress> outside,
            Optional<Transport> transport,
            Reply udp,
            Reply tcp) {
        return new Observation(
                inside,
                outside,
                transport,
                Optional.empty(),
                false,
                Optional.empty(),
                Optional.empty(),
                udp,
                tcp,
                Optional.empty());
    }

    /** How each transport fared; the one that gave {@code outside} keeps {@link Reply#ADDRESS}. */
    public Observation withReplies(Reply udpReply, Reply tcpReply) {
        return new Observation(
                inside,
                outside,
                transport,
                mappingVariesByDestination,
                overlay,
                outsideAsn,
                gatewayExternal,
                udpReply,
                tcpReply,
                path);
    }

    public Observation withMappingVariesByDestination(boolean varies) {
        return new Observation(
                inside, outside, transport, Optional.of(varies), overlay, outsideAsn, gatewayExternal, udp, tcp, path);
    }

    public Observation withOverlay(boolean isOverlay) {
        return new Observation(
                inside,
                outside,
                transport,
                mappingVariesByDestination,
                isOverlay,
                outsideAsn,
                gatewayExternal,
                udp,
                tcp,
                path);
    }

    public Observation withOutsideAsn(Optional<AsnRecord> asn) {
        return new Observation(
                inside, outside, transport, mappingVariesByDestination, overlay, asn, gatewayExternal, udp, tcp, path);
    }

    public Observation withGatewayExternal(Optional<InetAddress> external) {
        return new Observation(
                inside, outside, transport, mappingVariesByDestination, overlay, outsideAsn, external, udp, tcp, path);
    }

    public Observation withPath(Optional<OutboundPath> outboundPath) {
        return new Observation(
                inside,
                outside,
                transport,
                mappingVariesByDestination,
                overlay,
                outsideAsn,
                gatewayExternal,
                udp,
                tcp,
                outboundPath);
    }
}
