package dev.natcheck.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A peer-to-peer topology: the client ({@link Role#CLI}) behind a NAT of kind {@code kind} and
 * the peer ({@link Role#PEER}) behind its own NAT of kind {@code peerKind}, both NATs on the
 * stand-in Internet (198.51.100.2 and 198.51.100.130), the STUN server as in every topology.
 */
public record PeerPair(PeerKind kind, PeerKind peerKind) implements TopologySpec {

    public PeerPair {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(peerKind, "peerKind");
    }

    /** The six kinds every pair is made of, in table order. */
    public static final List<PeerKind> KINDS = List.of(
            PeerKind.OPEN,
            PeerKind.FULL_CONE,
            PeerKind.RESTRICTED_CONE,
            PeerKind.PORT_RESTRICTED_CONE,
            PeerKind.SYMMETRIC,
            PeerKind.UDP_BLOCKED);

    /** The 21 unordered pairs of the six kinds, each once, the first kind never after the second. */
    public static List<PeerPair> all() {
        List<PeerPair> pairs = new ArrayList<>();
        PeerKind[] kinds = KINDS.toArray(PeerKind[]::new);
        for (int i = 0; i < kinds.length; i++) {
            for (int j = i; j < kinds.length; j++) {
                pairs.add(new PeerPair(kinds[i], kinds[j]));
            }
        }
        return pairs;
    }

    @Override
    public String scriptName() {
        return "pair-" + kind.scriptName() + "-" + peerKind.scriptName();
    }

    @Override
    public List<Role> roles() {
        List<Role> roles = new ArrayList<>();
        roles.add(Role.CLI);
        if (kind.hasRouter()) {
            roles.add(Role.CPE);
        }
        roles.add(Role.PEER);
        if (peerKind.hasRouter()) {
            roles.add(Role.PEER_CPE);
        }
        roles.add(Role.INET);
        roles.add(Role.SRV);
        return List.copyOf(roles);
    }

    @Override
    public String toString() {
        return kind + " / " + peerKind;
    }
}
