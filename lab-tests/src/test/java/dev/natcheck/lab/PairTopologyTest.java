package dev.natcheck.lab;

import static dev.natcheck.lab.LabAssumptions.assumeArtifact;
import static dev.natcheck.lab.LabAssumptions.assumeLab;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The six NAT kinds of the peer-to-peer topologies are what they are called: natcheck's RFC 5780
 * behaviour discovery, run on each side against the lab's stun-server, finds each kind's mapping
 * and filtering. Three pairs cover the six kinds, a fourth the symmetric NAT that counts its ports.
 */
class PairTopologyTest {

    private static final Duration RUN_LIMIT = Duration.ofSeconds(60);

    static Stream<PeerPair> pairs() {
        return Stream.of(
                new PeerPair(PeerKind.OPEN, PeerKind.FULL_CONE),
                new PeerPair(PeerKind.RESTRICTED_CONE, PeerKind.PORT_RESTRICTED_CONE),
                new PeerPair(PeerKind.SYMMETRIC, PeerKind.UDP_BLOCKED),
                new PeerPair(PeerKind.SEQUENTIAL_SYMMETRIC, PeerKind.OPEN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void behaviourDiscoveryFindsEachSidesKind(PeerPair pair) {
        Lab lab = assumeLab();
        Path natcheck = assumeArtifact(NatcheckRun.JAR);
        Path stunJar = assumeArtifact(ProjectServers.STUN_JAR);
        try (LabNetwork net = lab.up(pair)) {
            ProjectServers.startStun(net, stunJar, false);
            assertKind(net, natcheck, Role.CLI, pair.kind(), net.facts().mapped4());
            assertKind(net, natcheck, Role.PEER, pair.peerKind(), net.facts().peerMapped4());
        }
    }

    @SuppressWarnings("unchecked")
    private static void assertKind(LabNetwork net, Path natcheck, Role role, PeerKind kind, String mappedHost) {
        ExecResult result = net.exec(
                role,
                RUN_LIMIT,
                List.of(
                        Lab.java().toString(),
                        "-jar",
                        natcheck.toString(),
                        "-o",
                        "json",
                        "-4",
                        "-s",
                        Family.hostPort(net.facts().server4(), ProjectServers.STUN_PORT),
                        "--behavior"));
        assertThat(result.timedOut()).as(result::describe).isFalse();
        Map<String, Object> document = (Map<String, Object>) Json.parse(result.stdout());
        Map<String, Object> probe = (Map<String, Object>) ((List<Object>) document.get("probes")).getFirst();
        assertThat(probe.get("rfc3489_type")).as("%s: %s", role, probe).isEqualTo(kind.rfc3489Name());
        if (kind != PeerKind.UDP_BLOCKED) {
            assertThat((String) probe.get("mapped")).as("%s: %s", role, probe).startsWith(mappedHost + ":");
        }
    }
}
