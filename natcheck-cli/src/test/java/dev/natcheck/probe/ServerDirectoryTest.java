package dev.natcheck.probe;

import static dev.natcheck.probe.FakeStunServer.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ServerDirectoryTest {

    private static final Map<String, List<InetAddress>> ZONE = Map.of(
            "dual.test", List.of(ip("127.0.0.1"), ip("::1")),
            "v4only.test", List.of(ip("127.0.0.2")));

    private static final NameResolver TABLE = host -> {
        List<InetAddress> found = ZONE.get(host);
        if (found == null) {
            throw new UnknownHostException(host);
        }
        return found;
    };

    @Test
    void resolvesPerFamilyAndNotesWhatIsMissing() throws Exception {
        ServerDirectory directory = ServerDirectory.resolve(
                List.of(
                        ServerSpec.parse("dual.test:3478"),
                        ServerSpec.parse("v4only.test:3479"),
                        ServerSpec.parse("missing.test"),
                        ServerSpec.parse("[::1]:5000")),
                TABLE,
                Deadline.after(Duration.ofSeconds(2)));

        assertThat(directory.servers(Family.IPV4))
                .extracting(ResolvedServer::label)
                .containsExactly("dual.test:3478 (127.0.0.1:3478)", "v4only.test:3479 (127.0.0.2:3479)");
        assertThat(directory.servers(Family.IPV6))
                .extracting(ResolvedServer::label)
                .containsExactly("dual.test:3478 ([::1]:3478)", "[::1]:5000");
        // The IPv6 literal [::1]:5000 gets no "no IPv4 address" note: that is obvious, not news.
        assertThat(directory.notes(Family.IPV4)).containsExactly("server missing.test:3478: does not resolve");
        assertThat(directory.notes(Family.IPV6))
                .containsExactly(
                        "server v4only.test:3479: no IPv6 (AAAA) address",
                        "server missing.test:3478: does not resolve");
    }

    @Test
    void aResolverThatHangsIsCutOffAtTheDeadline() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        NameResolver hanging = host -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new UnknownHostException(host);
        };
        ServerDirectory directory = ServerDirectory.resolve(
                List.of(ServerSpec.parse("slow.test")), hanging, Deadline.after(Duration.ofMillis(100)));

        assertThat(directory.servers(Family.IPV4)).isEmpty();
        assertThat(directory.notes(Family.IPV4)).containsExactly("server slow.test:3478: did not resolve in time");
    }
}
