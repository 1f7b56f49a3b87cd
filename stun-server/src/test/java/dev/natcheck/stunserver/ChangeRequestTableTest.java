package dev.natcheck.stunserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.stun.MessageView;
import dev.natcheck.stun.TransactionId;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 5780 §6.1, as a table: which socket answers a CHANGE-REQUEST, for requests
 * received on each of the four sockets. Sockets are named by address and port: A/a is the
 * primary address (127.0.0.1), B/b the alternate (127.0.0.2); P the primary port, Q the
 * alternate. Every answer carries RESPONSE-ORIGIN = the socket it came from, OTHER-ADDRESS =
 * the socket diagonal to the one that received the request, and MAPPED-ADDRESS too.
 */
class ChangeRequestTableTest {

    /** Index into boundAddresses(): primary:P, primary:Q, alternate:P, alternate:Q. */
    enum Socket {
        AP(0),
        AQ(1),
        BP(2),
        BQ(3);

        final int index;

        Socket(int index) {
            this.index = index;
        }
    }

    record Row(Socket receivedOn, boolean changeIp, boolean changePort, Socket answersFrom, Socket otherAddress) {
        @Override
        public String toString() {
            return "to " + receivedOn + (changeIp ? " change-IP" : "") + (changePort ? " change-port" : "")
                    + (changeIp || changePort ? "" : " no change") + " -> from " + answersFrom;
        }
    }

    static Stream<Row> table() {
        return Stream.of(
                new Row(Socket.AP, false, false, Socket.AP, Socket.BQ),
                new Row(Socket.AP, false, true, Socket.AQ, Socket.BQ),
                new Row(Socket.AP, true, false, Socket.BP, Socket.BQ),
                new Row(Socket.AP, true, true, Socket.BQ, Socket.BQ),
                new Row(Socket.AQ, false, false, Socket.AQ, Socket.BP),
                new Row(Socket.AQ, false, true, Socket.AP, Socket.BP),
                new Row(Socket.AQ, true, false, Socket.BQ, Socket.BP),
                new Row(Socket.AQ, true, true, Socket.BP, Socket.BP),
                new Row(Socket.BP, false, false, Socket.BP, Socket.AQ),
                new Row(Socket.BP, false, true, Socket.BQ, Socket.AQ),
                new Row(Socket.BP, true, false, Socket.AP, Socket.AQ),
                new Row(Socket.BP, true, true, Socket.AQ, Socket.AQ),
                new Row(Socket.BQ, false, false, Socket.BQ, Socket.AP),
                new Row(Socket.BQ, false, true, Socket.BP, Socket.AP),
                new Row(Socket.BQ, true, false, Socket.AQ, Socket.AP),
                new Row(Socket.BQ, true, true, Socket.AP, Socket.AP));
    }

    static StunServer server;
    static List<InetSocketAddress> sockets;

    @BeforeAll
    static void start() throws Exception {
        server = SocketIoUnderTest.start(StunServerTest.rfc5780Config());
        sockets = server.boundAddresses();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void changeRequestIsAnsweredFromTheSocketTheTableNames(Row row) throws Exception {
        try (TestClient client = TestClient.loopback()) {
            TransactionId id = TransactionId.random();
            byte[] request = Requests.binding(
                    id,
                    e -> e.addChangeRequest(row.changeIp(), row.changePort()).addPadding(Requests.ROOM),
                    true);
            TestClient.Reply reply = client.exchange(request, sockets.get(row.receivedOn().index));

            MessageView answer = Requests.decode(reply.bytes());
            InetSocketAddress expectedFrom = sockets.get(row.answersFrom().index);
            assertThat(answer.transactionIdMatches(id)).isTrue();
            assertThat(reply.from()).isEqualTo(expectedFrom);
            assertThat(answer.responseOrigin().orElseThrow().socketAddress()).isEqualTo(expectedFrom);
            assertThat(answer.otherAddress().orElseThrow().socketAddress())
                    .isEqualTo(sockets.get(row.otherAddress().index));
            assertThat(answer.xorMappedAddress().orElseThrow().socketAddress()).isEqualTo(client.local());
            assertThat(answer.mappedAddress().orElseThrow().socketAddress()).isEqualTo(client.local());
            assertThat(reply.bytes().length).isLessThanOrEqualTo(request.length);
        }
    }
}
