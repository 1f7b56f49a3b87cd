package dev.natcheck.punch;

import dev.natcheck.address.AddressText;
import dev.natcheck.stun.AttributeType;
import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageEncoder;
import dev.natcheck.stun.MessageHeader;
import dev.natcheck.stun.MessageIntegrity;
import dev.natcheck.stun.MessageView;
import dev.natcheck.stun.StunParseException;
import dev.natcheck.stun.TransactionId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The answering half of the connectivity checks: decides, for every datagram that is not an
 * answer to one of our own checks, whether it is the peer's check (RFC 8445 section 7.3) and
 * writes the answer. Only a check counts: a Binding request whose USERNAME is
 * "our ufrag:the peer's ufrag", whose MESSAGE-INTEGRITY checks out under our password, from an
 * address whose IP one of the peer's candidates has (a peer-reflexive port is fine, another host
 * is not: natcheck answers no one the tokens did not name), and that is not a replay (a
 * transaction id seen before from another address). Everything else is {@link Verdict.Ignored}
 * with its {@link Reason}; nothing is answered.
 */
public final class PeerRequests {

    /** Why a datagram was not taken as the peer's check. */
    public enum Reason {
        /** Not a STUN message, no magic cookie, a response or indication nobody asked for, or another method. */
        STRAY("stray"),
        /** A Binding request for other credentials (USERNAME not ours and the peer's). */
        WRONG_USERNAME("wrong_username"),
        /** USERNAME right, MESSAGE-INTEGRITY missing or wrong: someone without the password. */
        SPOOFED("spoofed"),
        /** A valid check from an IP address no candidate of the peer has. */
        UNKNOWN_SOURCE("unknown_source"),
        /** A transaction id already seen from another address. */
        REPLAYED("replayed");

        private final String wireName;

        Reason(String wireName) {
            this.wireName = wireName;
        }

        /** "wrong_username", ...: the JSON key. */
        public String wireName() {
            return wireName;
        }
    }

    /** What to do with one datagram. */
    public sealed interface Verdict {

        /** The peer's check: send {@code response} back to where it came from. */
        record Check(TransactionId id, boolean useCandidate, boolean retransmission, byte[] response)
                implements Verdict {
            public Check {
                Objects.requireNonNull(id, "id");
                response = response.clone();
            }

            @Override
            public byte[] response() {
                return response.clone();
            }
        }

        /** Not a check of the peer's: nothing is sent. */
        record Ignored(Reason reason, String detail) implements Verdict {
            public Ignored {
                Objects.requireNonNull(reason, "reason");
                Objects.requireNonNull(detail, "detail");
            }
        }
    }

    /** How many transaction ids are remembered for replay detection; the oldest are forgotten first. */
    static final int REMEMBERED = 4096;

    private static final int MAX_RESPONSE = 128;

    private final String expectedUsername;
    private final byte[] localKey;
    private final Set<InetAddress> peerAddresses;
    private final MessageView view = new MessageView();
    private final MessageEncoder encoder = new MessageEncoder();
    private final byte[] out = new byte[MAX_RESPONSE];
    private final Map<TransactionId, InetSocketAddress> seen = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<TransactionId, InetSocketAddress> eldest) {
            return size() > REMEMBERED;
        }
    };

    /**
     * @param localUfrag our username fragment, which the peer's checks name first
     * @param localPassword our password, which signs the peer's checks and our answers
     * @param peerUfrag the peer's username fragment, named second
     * @param peerAddresses the IP addresses of the peer's candidates
     */
    public PeerRequests(String localUfrag, String localPassword, String peerUfrag, Set<InetAddress> peerAddresses) {
        this.expectedUsername = localUfrag + ":" + peerUfrag;
        this.localKey = MessageIntegrity.shortTermKey(localPassword);
        this.peerAddresses = Set.copyOf(peerAddresses);
    }

    /**
     * Runs one made-up check through the codec and the HMAC, so that the JVM's first use of both
     * (class loading, the crypto provider: a few hundred milliseconds on a cold start) happens
     * before the checks are timed, not in the middle of them.
     */
    public static void warmUp() {
        PeerRequests requests = new PeerRequests("AAAA", "warm-up-password-0000", "BBBB", Set.of());
        byte[] request = new byte[MAX_RESPONSE];
        MessageEncoder encoder = new MessageEncoder();
        encoder.begin(request, 0, MessageClass.REQUEST, dev.natcheck.stun.Method.BINDING, TransactionId.random());
        encoder.addUsername("AAAA:BBBB");
        encoder.addMessageIntegrity(MessageIntegrity.shortTermKey("warm-up-password-0000"));
        int length = encoder.finish(true);
        requests.judge(Arrays.copyOf(request, length), new InetSocketAddress(InetAddress.getLoopbackAddress(), 9));
    }

    /** The verdict on {@code datagram}, which came from {@code source}. */
    public Verdict judge(byte[] datagram, InetSocketAddress source) {
        try {
            view.decode(datagram, 0, datagram.length);
        } catch (StunParseException e) {
            return new Verdict.Ignored(Reason.STRAY, "not STUN: " + e.getMessage());
        }
        if (view.cookie() != MessageHeader.MAGIC_COOKIE) {
            return new Verdict.Ignored(Reason.STRAY, "no STUN magic cookie");
        }
        if (!view.isBindingRequest()) {
            return new Verdict.Ignored(
                    Reason.STRAY, "a " + view.messageClass() + " of method " + view.method() + " nobody asked for");
        }
        String username = view.username().map(u -> u.value()).orElse("");
        if (!username.equals(expectedUsername)) {
            return new Verdict.Ignored(
                    Reason.WRONG_USERNAME,
                    username.isEmpty() ? "a Binding request without USERNAME" : "USERNAME '" + username + "'");
        }
        if (!view.verifyMessageIntegrity(localKey)) {
            return new Verdict.Ignored(
                    Reason.SPOOFED,
                    view.hasMessageIntegrity()
                            ? "MESSAGE-INTEGRITY does not check out under our password"
                            : "no MESSAGE-INTEGRITY");
        }
        if (!peerAddresses.contains(source.getAddress())) {
            return new Verdict.Ignored(
                    Reason.UNKNOWN_SOURCE,
                    AddressText.format(source.getAddress()) + " is none of the peer's addresses");
        }
        TransactionId id = view.transactionId();
        InetSocketAddress first = seen.putIfAbsent(id, source);
        if (first != null && !first.equals(source)) {
            return new Verdict.Ignored(Reason.REPLAYED, "transaction id first seen from " + AddressText.format(first));
        }
        boolean useCandidate = view.has(AttributeType.USE_CANDIDATE);
        encoder.beginResponse(out, 0, MessageClass.SUCCESS_RESPONSE, view);
        encoder.addXorMappedAddress(source.getAddress(), source.getPort());
        encoder.addMessageIntegrity(localKey);
        int length = encoder.finish(true);
        return new Verdict.Check(id, useCandidate, first != null, Arrays.copyOf(out, length));
    }
}
