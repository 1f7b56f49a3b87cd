package dev.natcheck.stunserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.stun.AttributeType;
import dev.natcheck.stun.ErrorCode;
import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageIntegrity;
import dev.natcheck.stun.MessageView;
import dev.natcheck.stun.RawAttribute;
import dev.natcheck.stun.TransactionId;
import dev.natcheck.stun.UnknownAttributes;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The RFC 5769 §2.1 sample request, byte for byte, sent to the server: it carries PRIORITY
 * (0x0024), a comprehension-required attribute a STUN server does not know, so the answer is
 * 420 with UNKNOWN-ATTRIBUTES naming it. The same request without PRIORITY is answered.
 */
class Rfc5769RequestTest {

    static final String SAMPLE_REQUEST = """
      00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
      80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
      00 24 00 04 6e 00 01 ff
      80 29 00 08 93 2f f9 b1 51 26 3b 36
      00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
      00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
      80 28 00 04 e5 7a 3b cf
      """;

    static final TransactionId SAMPLE_ID =
            TransactionId.of(HexFormat.ofDelimiter(" ").parseHex("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"));

    private StunServer server;
    private InetSocketAddress to;

    @BeforeEach
    void start() throws Exception {
        server = SocketIoUnderTest.start(StunServerTest.plainConfig());
        to = server.boundAddresses().getFirst();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s+", ""));
    }

    @Test
    void sampleRequestGets420NamingPriority() throws Exception {
        byte[] request = hex(SAMPLE_REQUEST);
        try (TestClient client = TestClient.loopback()) {
            TestClient.Reply reply = client.exchange(request, to);

            MessageView answer = Requests.decode(reply.bytes());
            assertThat(answer.messageClass()).isEqualTo(MessageClass.ERROR_RESPONSE);
            assertThat(answer.transactionIdMatches(SAMPLE_ID)).isTrue();
            assertThat(answer.errorCode().orElseThrow().code()).isEqualTo(ErrorCode.UNKNOWN_ATTRIBUTE);
            assertThat(answer.unknownAttributes().orElseThrow())
                    .isEqualTo(new UnknownAttributes(List.of(AttributeType.PRIORITY)));
            assertThat(answer.hasFingerprint())
                    .as("the request had FINGERPRINT")
                    .isTrue();
            assertThat(reply.bytes().length).isLessThanOrEqualTo(request.length);
        }
    }

    @Test
    void sampleRequestWithoutPriorityIsAnsweredWithTheSender() throws Exception {
        // Re-encode the sample without PRIORITY, keeping the rest (MESSAGE-INTEGRITY recomputed
        // with the RFC's password, FINGERPRINT recomputed): the server has no credentials and
        // answers the Binding request as it does any other.
        MessageView sample = Requests.decode(hex(SAMPLE_REQUEST));
        RawAttribute iceControlled = (RawAttribute) sample.attribute(2);
        byte[] key = MessageIntegrity.shortTermKey("VOkJxbRl1RmTxUk/WvJxBt");
        byte[] request = Requests.binding(
                SAMPLE_ID,
                e -> e.addSoftware("STUN test client")
                        .add(iceControlled)
                        .addUsername("evtj:h6vY")
                        .addMessageIntegrity(key),
                true);
        assertThat(Requests.decode(request).has(AttributeType.PRIORITY)).isFalse();

        try (TestClient client = TestClient.loopback()) {
            TestClient.Reply reply = client.exchange(request, to);

            MessageView answer = Requests.decode(reply.bytes());
            assertThat(answer.messageClass()).isEqualTo(MessageClass.SUCCESS_RESPONSE);
            assertThat(answer.transactionIdMatches(SAMPLE_ID)).isTrue();
            assertThat(answer.xorMappedAddress().orElseThrow().socketAddress()).isEqualTo(client.local());
            assertThat(reply.bytes().length).isLessThanOrEqualTo(request.length);
        }
    }
}
