package dev.natcheck.gateway;

import dev.natcheck.address.AddressText;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The conversation on a gateway's UDP port 5351, where PCP and NAT-PMP both listen, as a state
 * machine:
 *
 * <pre>
 * ANNOUNCE --PCP answer--> MAP --answer / timeout--> DONE
 * ANNOUNCE --UNSUPP_VERSION (PCP, or NAT-PMP's version 0 reply)--> NAT_PMP --answer / timeout--> DONE
 * ANNOUNCE --timeout / ICMP port unreachable--> DONE
 * </pre>
 *
 * <p>The MAP (UDP, this socket's own port, a short lifetime) is how PCP tells a client its
 * external address; it is deleted again (lifetime 0, same nonce) whenever a MAP was sent, also
 * when its answer never came or the budget ran out, so natcheck leaves nothing behind on the
 * gateway. Retransmission starts at 50 ms and doubles: RFC 6887's 3 s and RFC 6886's 250 ms
 * would not fit twice into natcheck's gateway budget of about 250 ms on a LAN whose round trip
 * is a millisecond.
 */
public final class PortControl {

    /** The states of the conversation. */
    public enum State {
        ANNOUNCE,
        MAP,
        NAT_PMP,
        DONE
    }

    static final long INITIAL_WAIT_MILLIS = 50;
    /** Lifetime asked for the MAP; it is deleted right after the answer anyway. */
    static final long MAP_LIFETIME_SECONDS = 30;
    /** How long the deletion may wait for its acknowledgement, beyond the budget if need be. */
    static final long DELETE_WAIT_MILLIS = 60;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The states one conversation passed through, in order. */
    static final class Trace {
        private final List<State> states = new ArrayList<>();

        void add(State state) {
            states.add(state);
        }

        List<State> states() {
            return List.copyOf(states);
        }
    }

    private final InetAddress local;
    private final InetSocketAddress gateway;
    private final Trace trail;
    private final List<String> ignored = new ArrayList<>();
    /** The gateway answered Unsupported Version while natcheck waited for NAT-PMP's answer. */
    private boolean unsupportedAgain;

    private PortControl(InetAddress local, InetSocketAddress gateway, Trace trail) {
        this.local = local;
        this.gateway = gateway;
        this.trail = trail;
    }

    /**
     * Asks {@code gateway} (its port 5351) from {@code local}, the probe's interface address, within
     * {@code budget}: the PCP answer, or NAT-PMP's when the gateway speaks only that.
     */
    public static GatewayAnswer ask(InetAddress local, InetSocketAddress gateway, Budget budget) {
        return ask(local, gateway, budget, new Trace());
    }

    /** The same, recording the states passed through in {@code trace}. */
    static GatewayAnswer ask(InetAddress local, InetSocketAddress gateway, Budget budget, Trace trace) {
        return new PortControl(local, gateway, trace).run(budget);
    }

    private GatewayAnswer run(Budget deadline) {
        String label = "gateway " + AddressText.format(gateway);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(local, 0))) {
            socket.connect(gateway);
            return converse(socket, label, deadline);
        } catch (IOException e) {
            return new GatewayAnswer(
                    Protocol.PCP,
                    gateway,
                    Optional.empty(),
                    GatewayAnswer.FAILED,
                    "PCP " + label + ": could not ask (" + e.getMessage() + ")");
        }
    }

    private GatewayAnswer converse(DatagramSocket socket, String label, Budget deadline) throws IOException {
        State state = State.ANNOUNCE;
        byte[] nonce = new byte[Pcp.NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        boolean mapSent = false;
        Optional<PcpResult> announceResult = Optional.empty();
        try {
            while (true) {
                trail.add(state);
                switch (state) {
                    case ANNOUNCE -> {
                        Exchange reply = exchange(socket, Pcp.announce(local), deadline, this::isAnnounceReply);
                        if (reply.refused()) {
                            return silent(
                                    Protocol.PCP,
                                    GatewayAnswer.REFUSED,
                                    label,
                                    "no PCP or NAT-PMP service" + " (ICMP port unreachable)");
                        }
                        if (reply.bytes().isEmpty()) {
                            return silent(
                                    Protocol.PCP, GatewayAnswer.NO_ANSWER, label, "no PCP or NAT-PMP answer in time");
                        }
                        byte[] bytes = reply.bytes().get();
                        if (unsupportedVersion(bytes)) {
                            state = State.NAT_PMP;
                        } else {
                            announceResult = PcpResult.of(bytes[3] & 0xFF);
                            state = State.MAP;
                        }
                    }
                    case MAP -> {
                        mapSent = true;
                        byte[] request = Pcp.map(local, nonce, socket.getLocalPort(), MAP_LIFETIME_SECONDS);
                        Exchange reply = exchange(socket, request, deadline, b -> isMapReply(b, nonce, socket));
                        if (reply.bytes().isEmpty()) {
                            return silent(
                                    Protocol.PCP,
                                    reply.refused() ? GatewayAnswer.REFUSED : GatewayAnswer.NO_ANSWER,
                                    label,
                                    "answered PCP ANNOUNCE"
                                            + announceResult
                                                    .map(r -> " (" + r + ")")
                                                    .orElse("")
                                            + " but not the MAP request in time");
                        }
                        return mapAnswer(reply.bytes().get(), label);
                    }
                    case NAT_PMP -> {
                        Exchange reply =
                                exchange(socket, NatPmp.externalAddressRequest(), deadline, this::isNatPmpReply);
                        return natPmpAnswer(reply, label);
                    }
                    case DONE -> throw new IllegalStateException("the conversation is over");
                }
            }
        } finally {
            trail.add(State.DONE);
            if (mapSent) {
                delete(socket, nonce);
            }
        }
    }

    /** Whatever answers the ANNOUNCE: a PCP response, or any NAT-PMP (version 0) response. */
    private boolean isAnnounceReply(byte[] bytes) {
        if (unsupportedVersion(bytes)) {
            return true;
        }
        try {
            return Pcp.parse(bytes, bytes.length).opcode() == Pcp.OPCODE_ANNOUNCE;
        } catch (MalformedAnswerException e) {
            ignored.add(e.getMessage());
            return false;
        }
    }

    private boolean isMapReply(byte[] bytes, byte[] nonce, DatagramSocket socket) {
        if (unsupportedVersion(bytes)) {
            return true;
        }
        try {
            Pcp.Response response = Pcp.parse(bytes, bytes.length);
            if (response.opcode() != Pcp.OPCODE_MAP || response.map().isEmpty()) {
                ignored.add("a PCP response to opcode " + response.opcode() + " while waiting for MAP");
                return false;
            }
            Pcp.MapData map = response.map().get();
            if (!Arrays.equals(map.nonce(), nonce)
                    || map.protocol() != Pcp.PROTOCOL_UDP
                    || map.internalPort() != socket.getLocalPort()) {
                ignored.add("a MAP response for another mapping (nonce, protocol or port differ)");
                return false;
            }
            return true;
        } catch (MalformedAnswerException e) {
            ignored.add(e.getMessage());
            return false;
        }
    }

    /**
     * A NAT-PMP external address response, except Unsupported Version: the answer to a PCP
     * ANNOUNCE carries the same opcode (128), so a late answer to the ANNOUNCE's retransmission
     * would pass for one; NAT-PMP itself (version 0) is what every NAT-PMP server supports.
     */
    private boolean isNatPmpReply(byte[] bytes) {
        try {
            NatPmp.Response response = NatPmp.parseExternalAddress(bytes, bytes.length);
            if (response.resultCode() == NatPmp.RESULT_UNSUPPORTED_VERSION) {
                unsupportedAgain = true;
                return false;
            }
            return true;
        } catch (MalformedAnswerException e) {
            ignored.add(e.getMessage());
            return false;
        }
    }

    /**
     * UNSUPP_VERSION: a PCP response saying so, or a NAT-PMP server's version-0 reply with result 1
     * (RFC 6887 section 9).
     */
    private static boolean unsupportedVersion(byte[] bytes) {
        if (bytes.length < NatPmp.MIN_RESPONSE_LENGTH) {
            return false;
        }
        if (bytes[0] == NatPmp.VERSION) {
            return NatPmp.resultCode(bytes) == NatPmp.RESULT_UNSUPPORTED_VERSION;
        }
        return (bytes[0] & 0xFF) == Pcp.VERSION
                && bytes.length >= Pcp.HEADER_LENGTH
                && (bytes[1] & Pcp.RESPONSE_BIT) != 0
                && (bytes[3] & 0xFF) == PcpResult.UNSUPP_VERSION.code();
    }

    private GatewayAnswer mapAnswer(byte[] bytes, String label) {
        if (unsupportedVersion(bytes)) {
            return new GatewayAnswer(
                    Protocol.PCP,
                    gateway,
                    Optional.empty(),
                    PcpResult.UNSUPP_VERSION.wireName(),
                    "PCP " + label + ": answered ANNOUNCE, then UNSUPP_VERSION to the MAP" + ignoredNote());
        }
        Pcp.Response response;
        try {
            response = Pcp.parse(bytes, bytes.length);
        } catch (MalformedAnswerException e) {
            throw new IllegalStateException("accepted only after parsing", e);
        }
        Pcp.MapData map = response.map().orElseThrow();
        Optional<InetAddress> external = map.namedExternal();
        int code = response.resultCode();
        if (code == PcpResult.SUCCESS.code()) {
            if (external.isEmpty()) {
                return new GatewayAnswer(
                        Protocol.PCP,
                        gateway,
                        Optional.empty(),
                        GatewayAnswer.NO_EXTERNAL_ADDRESS,
                        "PCP " + label + ": mapped, but named no external address (all zeros)" + ignoredNote());
            }
            return new GatewayAnswer(
                    Protocol.PCP,
                    gateway,
                    external,
                    GatewayAnswer.OK,
                    "PCP " + label + " reports its external address " + AddressText.format(external.get())
                            + ignoredNote());
        }
        String name = PcpResult.of(code).map(Enum::name).orElse("result code " + code);
        String meaning = PcpResult.of(code).map(PcpResult::meaning).orElse("an unassigned result code");
        // RFC 6887 section 11.2 has an error response copy the suggested address (all zeros).
        // Some gateways name their real one anyway: miniupnpd 2.x answers NO_RESOURCES with its
        // WAN address when that address is private, shared or reserved and it will not map.
        return new GatewayAnswer(
                Protocol.PCP,
                gateway,
                external,
                PcpResult.wireName(code),
                "PCP " + label + " answered " + name + " (" + meaning + ")"
                        + external.map(a -> ", naming its external address " + AddressText.format(a))
                                .orElse("")
                        + ignoredNote());
    }

    private GatewayAnswer natPmpAnswer(Exchange reply, String label) {
        String prefix = "NAT-PMP " + label;
        if (reply.bytes().isEmpty() && unsupportedAgain) {
            return new GatewayAnswer(
                    Protocol.NAT_PMP,
                    gateway,
                    Optional.empty(),
                    NatPmp.resultName(NatPmp.RESULT_UNSUPPORTED_VERSION),
                    prefix + ": answered result code 1 (" + NatPmp.resultMeaning(NatPmp.RESULT_UNSUPPORTED_VERSION)
                            + ") to PCP and to NAT-PMP alike" + ignoredNote());
        }
        if (reply.bytes().isEmpty()) {
            return silent(
                    Protocol.NAT_PMP,
                    reply.refused() ? GatewayAnswer.REFUSED : GatewayAnswer.NO_ANSWER,
                    label,
                    "answered PCP with Unsupported Version, then nothing to NAT-PMP in time");
        }
        NatPmp.Response response;
        try {
            byte[] bytes = reply.bytes().get();
            response = NatPmp.parseExternalAddress(bytes, bytes.length);
        } catch (MalformedAnswerException e) {
            throw new IllegalStateException("accepted only after parsing", e);
        }
        if (response.resultCode() != 0) {
            return new GatewayAnswer(
                    Protocol.NAT_PMP,
                    gateway,
                    Optional.empty(),
                    NatPmp.resultName(response.resultCode()),
                    prefix + ": answered result code " + response.resultCode() + " ("
                            + NatPmp.resultMeaning(response.resultCode()) + ")" + ignoredNote());
        }
        InetAddress external = response.external();
        if (external.isAnyLocalAddress()) {
            return new GatewayAnswer(
                    Protocol.NAT_PMP,
                    gateway,
                    Optional.empty(),
                    GatewayAnswer.NO_EXTERNAL_ADDRESS,
                    prefix + ": answered success with the external address 0.0.0.0" + ignoredNote());
        }
        return new GatewayAnswer(
                Protocol.NAT_PMP,
                gateway,
                Optional.of(external),
                GatewayAnswer.OK,
                prefix + " reports its external address " + AddressText.format(external) + ignoredNote());
    }

    private GatewayAnswer silent(Protocol protocol, String result, String label, String what) {
        return new GatewayAnswer(
                protocol,
                gateway,
                Optional.empty(),
                result,
                protocol.label() + " " + label + ": " + what + ignoredNote());
    }

    private String ignoredNote() {
        if (ignored.isEmpty()) {
            return "";
        }
        return "; ignored " + ignored.size() + " unreadable answer" + (ignored.size() == 1 ? "" : "s") + " ("
                + ignored.getFirst() + ")";
    }

    /** What one request got: the accepted answer, or nothing, and whether ICMP refused it. */
    private record Exchange(Optional<byte[]> bytes, boolean refused) {}

    /** A predicate over a received datagram. */
    @FunctionalInterface
    private interface Acceptance {
        boolean accepts(byte[] bytes);
    }

    /**
     * Sends {@code request} until an answer {@code accept} takes arrives or the deadline passes;
     * the wait doubles after every send. Answers it does not take are ignored (and noted).
     */
    private Exchange exchange(DatagramSocket socket, byte[] request, Budget deadline, Acceptance accept)
            throws IOException {
        byte[] buffer = new byte[Pcp.MAX_MESSAGE_LENGTH + 4];
        long wait = INITIAL_WAIT_MILLIS;
        while (!deadline.expired()) {
            try {
                socket.send(new DatagramPacket(request, request.length));
                long until = System.nanoTime() + wait * 1_000_000L;
                while (System.nanoTime() < until && !deadline.expired()) {
                    socket.setSoTimeout((int) deadline.stepMillis(until));
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    try {
                        socket.receive(packet);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                    byte[] bytes = Arrays.copyOf(buffer, packet.getLength());
                    if (accept.accepts(bytes)) {
                        return new Exchange(Optional.of(bytes), false);
                    }
                }
            } catch (PortUnreachableException e) {
                return new Exchange(Optional.empty(), true);
            }
            wait *= 2;
        }
        return new Exchange(Optional.empty(), false);
    }

    /**
     * Deletes the mapping the MAP may have made: lifetime 0, same nonce and port (RFC 6887 section
     * 15), sent twice unless acknowledged, whatever the budget says.
     */
    private void delete(DatagramSocket socket, byte[] nonce) {
        byte[] request = Pcp.map(local, nonce, socket.getLocalPort(), 0);
        Budget wait = Budget.after(java.time.Duration.ofMillis(DELETE_WAIT_MILLIS));
        try {
            exchange(socket, request, wait, b -> isMapReply(b, nonce, socket));
        } catch (IOException e) {
            // Nothing more to do: the mapping expires after its short lifetime.
        }
    }
}
