package dev.natcheck.stunserver;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.natcheck.stun.TransactionId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What the operator reads: the server's log lines, captured from logback as they are emitted. */
class StunServerLogTest {

    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private Logger root;
    private Level rootLevel;

    @BeforeEach
    void capture() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(Level.INFO);
        events.start();
        root.addAppender(events);
    }

    @AfterEach
    void release() {
        root.detachAppender(events);
        root.setLevel(rootLevel);
    }

    private List<ILoggingEvent> at(Level level) {
        synchronized (events.list) {
            return events.list.stream().filter(e -> e.getLevel() == level).toList();
        }
    }

    @Test
    void theFirstAmplificationDropIsOneWarningNamingTheOptionTheRestAreCounted() throws Exception {
        StunServer server = SocketIoUnderTest.start(StunServerTest.plainConfig());
        InetSocketAddress to = server.boundAddresses().getFirst();
        try (TestClient client = TestClient.loopback()) {
            for (int i = 0; i < 3; i++) {
                client.send(Requests.plain(TransactionId.random()), to);
            }
            // A padded request after them: its answer proves the three were handled.
            client.exchange(Requests.padded(TransactionId.random()), to);
            StunServerTest.assertCount(server, Counter.DROPPED_AMPLIFICATION, 3);

            List<ILoggingEvent> warnings = at(Level.WARN);
            assertThat(warnings)
                    .singleElement()
                    .satisfies(w -> assertThat(w.getFormattedMessage())
                            .startsWith("dropped a 20-byte Binding request from 127.0.0.1:"
                                    + client.local().getPort())
                            .contains("Start with --allow-amplification to answer such clients")
                            .contains("stun_dropped_datagrams_total{reason=\"amplification\"}"));
        } finally {
            server.close();
        }
        assertThat(at(Level.INFO))
                .anySatisfy(i -> assertThat(i.getFormattedMessage())
                        .startsWith("stopped; ")
                        .endsWith("; 3 request(s) dropped because the answer would have been larger "
                                + "(--allow-amplification answers them)"));
    }

    @Test
    void ipv6AddressesAreLoggedInRfc5952Form() throws Exception {
        StunServer server;
        try {
            server = SocketIoUnderTest.start(
                    StunServerTest.plainConfig().withAddresses(List.of(InetAddress.ofLiteral("::1")), List.of()));
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback: " + e.getMessage());
            return;
        }
        server.close();

        assertThat(at(Level.INFO))
                .anySatisfy(i -> assertThat(i.getFormattedMessage())
                        .startsWith("listening on UDP [[::1]:"
                                + server.boundAddresses().getFirst().getPort() + "]"));
        assertThat(events.list)
                .noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains("0:0:0:0"));
    }
}
