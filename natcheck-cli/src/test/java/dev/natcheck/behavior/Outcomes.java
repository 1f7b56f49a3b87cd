package dev.natcheck.behavior;

import dev.natcheck.stun.MappedAddress;
import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.Method;
import dev.natcheck.stun.OtherAddress;
import dev.natcheck.stun.ResponseOrigin;
import dev.natcheck.stun.StunAttribute;
import dev.natcheck.stun.StunMessage;
import dev.natcheck.stun.TransactionId;
import dev.natcheck.stun.XorMappedAddress;
import dev.natcheck.transaction.Outcome;
import dev.natcheck.transaction.Response;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        return new Outcome.Answered(binding(from, LOCAL, Optional.of(mapped), Optional.of(mapped), Optional.of(OTHER)));
    }

    /**
     * A Binding success response carrying exactly the address attributes given, and
     * RESPONSE-ORIGIN the source, as a verdict table needs it.
     */
    static Response binding(
            InetSocketAddress source,
            InetSocketAddress receivedOn,
            Optional<InetSocketAddress> xorMapped,
            Optional<InetSocketAddress> plainMapped,
            Optional<InetSocketAddress> other) {
        List<StunAttribute> attributes = new ArrayList<>();
        xorMapped.ifPresent(m -> attributes.add(new XorMappedAddress(m.getAddress(), m.getPort())));
        plainMapped.ifPresent(m -> attributes.add(new MappedAddress(m.getAddress(), m.getPort())));
        other.ifPresent(o -> attributes.add(new OtherAddress(o.getAddress(), o.getPort())));
        attributes.add(new ResponseOrigin(source.getAddress(), source.getPort()));
        StunMessage message =
                new StunMessage(MessageClass.SUCCESS_RESPONSE, Method.BINDING, TransactionId.random(), attributes);
        return new Response(source, receivedOn, message, Duration.ofMillis(1), 1);
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
