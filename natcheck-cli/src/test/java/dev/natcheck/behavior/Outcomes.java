package dev.natcheck.behavior;

import dev.natcheck.transaction.Outcome;
import dev.natcheck.transaction.Response;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** Short ways to write transaction outcomes in the verdict tables. */
final class Outcomes {

    static final InetSocketAddress LOCAL = sock("192.168.1.2", 50000);
    static final InetSocketAddress PRIMARY = sock("203.0.113.10", 3478);
    static final InetSocketAddress OTHER = sock("203.0.113.11", 3479);
    static final InetSocketAddress PRIMARY_ALT_PORT = sock("203.0.113.10", 3479);
    static final InetSocketAddress OTHER_PRIMARY_PORT = sock("203.0.113.11", 3478);

    private Outcomes() {}

    static Outcome answered(InetSocketAddress from, InetSocketAddress mapped) {
        return new Outcome.Answered(Response.binding(from, LOCAL, mapped, Optional.of(OTHER)));
    }

    static Outcome answered(InetSocketAddress from) {
        return answered(from, sock("198.51.100.2", 50000));
    }

    static Outcome silent() {
        return new Outcome.Unanswered(10, true);
    }

    static Outcome cutShort() {
        return new Outcome.Unanswered(3, false);
    }

    static Outcome refused() {
        return new Outcome.Refused("ICMP port unreachable");
    }

    static Outcome rejected() {
        return new Outcome.Rejected(420, "Unknown Attribute");
    }

    static InetSocketAddress sock(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }
}
