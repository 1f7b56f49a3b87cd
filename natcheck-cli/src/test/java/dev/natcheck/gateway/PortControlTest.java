package dev.natcheck.gateway;

import static dev.natcheck.gateway.ScriptedGateway.ip;
import static dev.natcheck.gateway.ScriptedGateway.isNatPmpExternalAddressRequest;
import static dev.natcheck.gateway.ScriptedGateway.isPcp;
import static dev.natcheck.gateway.ScriptedGateway.lifetime;
import static dev.natcheck.gateway.ScriptedGateway.mapResponse;
import static dev.natcheck.gateway.ScriptedGateway.natPmpResponse;
import static dev.natcheck.gateway.ScriptedGateway.natPmpUnsupportedVersion;
import static dev.natcheck.gateway.ScriptedGateway.nonce;
import static dev.natcheck.gateway.ScriptedGateway.pcpResponse;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The UDP 5351 conversation (PCP, NAT-PMP fallback) against a scripted gateway on loopback. */
class PortControlTest {

    private static final InetAddress LOCAL = ip("127.0.0.1");
    private static final int ANNOUNCE = 0;
    private static final int MAP = 1;

    /** A PCP server that answers ANNOUNCE with success and MAP with {@code result} naming {@code external}. */
    private static ScriptedGateway.PortControlScript pcp(int result, InetAddress external) {
        return (request, gateway, from) -> {
            if (isPcp(request, ANNOUNCE)) {
                gateway.reply(from, pcpResponse(request, 0));
            } else if (isPcp(request, MAP)) {
                gateway.reply(from, mapResponse(request, lifetime(request) == 0 ? 0 : result, external));
            }
        };
    }

    private static GatewayAnswer ask(ScriptedGateway gateway, Duration budget) {
        return PortControl.ask(LOCAL, gateway.portControlAddress(), Budget.after(budget));
    }

    private static List<byte[]> maps(ScriptedGateway gateway) {
        return gateway.portControlRequests().stream().filter(r -> isPcp(r, MAP)).toList();
    }

    @Test
    void pcpMapNamesTheExternalAddressAndTheMappingIsDeletedAfterwards() throws Exception {
        try (ScriptedGateway gateway = ScriptedGateway.start().onPortControl(pcp(0, ip("100.64.0.9")))) {
            GatewayAnswer answer = ask(gateway, Duration.ofSeconds(2));

            assertThat(answer.protocol()).isEqualTo(Protocol.PCP);
            assertThat(answer.result()).isEqualTo("ok");
            assertThat(answer.external()).contains(ip("100.64.0.9"));
            assertThat(answer.note()).endsWith("reports its external address 100.64.0.9");
            List<byte[]> maps = maps(gateway);
            assertThat(maps).hasSize(2);
            assertThat(lifetime(maps.get(0))).isEqualTo((int) PortControl.MAP_LIFETIME_SECONDS);
            assertThat(lifetime(maps.get(1))).as("the deletion").isZero();
            assertThat(nonce(maps.get(1))).isEqualTo(nonce(maps.get(0)));
        }
    }

    @Test
    void theRequestCarriesTheClientsOwnAddressAsRfc6887Wants() throws Exception {
        try (ScriptedGateway gateway = ScriptedGateway.start().onPortControl(pcp(0, ip("198.51.100.2")))) {
            ask(gateway, Duration.ofSeconds(2));

            byte[] announce = gateway.portControlRequests().getFirst();
            assertThat(announce).hasSize(24);
            assertThat(java.util.Arrays.copyOfRange(announce, 8, 24)).isEqualTo(Pcp.mapped(LOCAL));
            byte[] map = maps(gateway).getFirst();
            assertThat(map).hasSize(60);
            assertThat(map[36]).as("protocol UDP").isEqualTo((byte) 17);
        }
    }

    static Stream<Arguments> pcpErrors() {
        return IntStream.rangeClosed(2, 13)
                .mapToObj(code -> Arguments.of(code, PcpResult.of(code).orElseThrow()));
    }

    @ParameterizedTest(name = "MAP answered {1}")
    @MethodSource("pcpErrors")
    void everyPcpErrorIsEvidenceAndTheMappingIsStillDeleted(int code, PcpResult result) throws Exception {
        try (ScriptedGateway gateway = ScriptedGateway.start().onPortControl(pcp(code, ip("0.0.0.0")))) {
            GatewayAnswer answer = ask(gateway, Duration.ofSeconds(2));

            assertThat(answer.protocol()).isEqualTo(Protocol.PCP);
            assertThat(answer.result()).isEqualTo(result.wireName());
            assertThat(answer.external()).isEmpty();
            assertThat(answer.note()).contains("answered " + result.name(), result.meaning());
            assertThat(maps(gateway)).extracting(ScriptedGateway::lifetime).endsWith(0);
        }
    }

    @Test
    void anErrorAnswerThatNamesTheGatewaysAddressAnywayKeepsTheAddress() throws Exception {
        // What miniupnpd 2.x does when its WAN address is shared: NO_RESOURCES, with that address.
        try (ScriptedGateway gateway = ScriptedGateway.start().onPortControl(pcp(8, ip("100.64.1.2")))) {
            GatewayAnswer answer = ask(gateway, Duration.ofSeconds(2));

            assertThat(answer.result()).isEqualTo("no-resources");
            assertThat(answer.external()).contains(ip("100.64.1.2"));
            assertThat(answer.note()).contains("NO_RESOURCES", "naming its external address 100.64.1.2");
        }
    }

    @Test
    void aNatPmpOnlyGatewayIsAskedWithNatPmpAfterItsUnsupportedVersionAnswer() throws Exception {
        try (ScriptedGateway gateway = ScriptedGateway.start().onPortControl((request, g, from) -> {
            if (isNatPmpExternalAddressRequest(request)) {
                g.reply(from, natPmpResponse(0, ip("192.168.100.2")));
            } else {
                g.reply(from, natPmpUnsupportedVersion(request));
            }
        })) {
            PortControl.Trace trace = new PortControl.Trace();
            GatewayAnswer answer =
                    PortControl.ask(LOCAL, gateway.portControlAddress(), Budget.after(Duration.ofSeconds(2)), trace);

            assertThat(answer.protocol()).isEqualTo(Protocol.NAT_PMP);
            assertThat(answer.result()).isEqualTo("ok");
            assertThat(answer.external()).contains(ip("192.168.100.2"));
            assertThat(trace.states())
                    .containsExactly(PortControl.State.ANNOUNCE, PortControl.State.NAT_PMP, PortControl.State.DONE);
            assertThat(maps(gateway))
                    .as("no MAP to a NAT-PMP server, nothing to delete")
                    .isEmpty();
        }
    }

    @Test
    void aLateUnsupportedVersionEchoIsNotTakenForTheNatPmpAnswer() throws Exception {
        // The answer to a retransmitted ANNOUNCE has NAT-PMP's opcode 128 too, and may arrive
        // after natcheck has moved on to NAT-PMP.
        try (ScriptedGateway gateway = ScriptedGateway.start().onPortControl((request, g, from) -> {
            if (isNatPmpExternalAddressRequest(request)) {
                g.reply(from, natPmpUnsupportedVersion(new byte[] {2, 0}));
                g.reply(from, natPmpResponse(0, ip("192.168.100.2")));
            } else {
                g.reply(from, natPmpUnsupportedVersion(request));
            }
        })) {
            GatewayAnswer answer = ask(gateway, Duration.ofSeconds(2));

            assertThat(answer.protocol()).isEqualTo(Protocol.NAT_PMP);
            assertThat(answer.result()).isEqualTo("ok");
            assertThat(answer.external()).contains(ip("192.168.100.2"));
        }
    }

    @Test
    void aPcpUnsupportedVersionAnswerAlsoFallsBackToNatPmp() throws Exception {
        try (ScriptedGateway gateway = ScriptedGateway.start().onPortControl((request, g, from) -> {
            if (isNatPmpExternalAddressRequest(request)) {
                g.reply(from, natPmpResponse(0, ip("203.0.113.77")));
            } else {
                g.reply(from, pcpResponse(request, 1));
            }
        })) {
            GatewayAnswer answer = ask(gateway, Duration.ofSeconds(2));

            assertThat(answer.protocol()).isEqualTo(Protocol.NAT_PMP);
            assertThat(answer.external()).contains(ip("203.0.113.77"));
        }
    }

    static Stream<Arguments> natPmpErrors() {
        return Stream.of(
                Arguments.of(1, "unsupported-version", "Unsupported Version"),
                Arguments.of(2, "not-authorized", "Not Authorized/Refused"),
                Arguments.of(3, "network-failure", "another NAT may sit beyond it"),
                Arguments.of(4, "out-of-resources", "Out of Resources"),
                Arguments.of(5, "unsupported-opcode", "Unsupported Opcode"),
                Arguments.of(99, "result-99", "an unassigned result code"));
    }

    @ParameterizedTest(name = "NAT-PMP result {0}")
    @MethodSource("natPmpErrors")
    void everyNatPmpResultCodeIsNamed(int code, String token, String meaning) throws Exception {
        try (ScriptedGateway gateway = ScriptedGateway.start().onPortControl((request, g, from) -> {
            g.reply(
                    from,
                    isNatPmpExternalAddressRequest(request)
                            ? natPmpResponse(code, ip("0.0.0.0"))
                            : natPmpUnsupportedVersion(request));
        })) {
            GatewayAnswer answer = ask(gateway, Duration.ofSeconds(2));

            assertThat(answer.protocol()).isEqualTo(Protocol.NAT_PMP);
            assertThat(answer.result()).isEqualTo(token);
            assertThat(answer.external()).isEmpty();
            assertThat(answer.note()).contains("result code " + code, meaning);
        }
    }

    @Test
    void malformedAndForeignAnswersAreIgnoredUntilTheRealOne() throws Exception {
        try (ScriptedGateway gateway = ScriptedGateway.start().onPortControl((request, g, from) -> {
            g.reply(from, new byte[] {1, 2, 3});
            g.reply(from, new byte[25]);
            g.reply(from, new byte[] {2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
            if (isPcp(request, ANNOUNCE)) {
                g.reply(from, pcpResponse(request, 0));
            } else if (isPcp(request, MAP)) {
                byte[] other = mapResponse(request, 0, ip("10.9.9.9"));
                other[24] ^= 0x55; // another nonce: someone else's mapping
                g.reply(from, other);
                g.reply(from, mapResponse(request, 0, ip("198.51.100.2")));
            }
        })) {
            GatewayAnswer answer = ask(gateway, Duration.ofSeconds(2));

            assertThat(answer.external()).contains(ip("198.51.100.2"));
            assertThat(answer.note()).contains("ignored", "unreadable answer");
        }
    }

    @Test
    void silenceIsNoAnswerWithinTheBudget() throws Exception {
        try (ScriptedGateway gateway = ScriptedGateway.start()) {
            GatewayAnswer answer = ask(gateway, Duration.ofMillis(300));

            assertThat(answer.result()).isEqualTo("no-answer");
            assertThat(answer.external()).isEmpty();
            assertThat(answer.note()).contains("no PCP or NAT-PMP answer in time");
            assertThat(gateway.portControlRequests()).as("retransmitted").hasSizeGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aMapWhoseAnswerNeverComesIsDeletedAllTheSame() throws Exception {
        try (ScriptedGateway gateway = ScriptedGateway.start().onPortControl((request, g, from) -> {
            if (isPcp(request, ANNOUNCE)) {
                g.reply(from, pcpResponse(request, 0));
            }
        })) {
            GatewayAnswer answer = ask(gateway, Duration.ofMillis(300));

            assertThat(answer.result()).isEqualTo("no-answer");
            assertThat(answer.note()).contains("answered PCP ANNOUNCE", "but not the MAP request in time");
            List<byte[]> maps = maps(gateway);
            assertThat(maps).extracting(ScriptedGateway::lifetime).contains(0);
            assertThat(lifetime(maps.getLast())).isZero();
        }
    }

    @Test
    void aClosedPortIsRefused() throws Exception {
        InetSocketAddress closed;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOCAL, 0))) {
            closed = (InetSocketAddress) socket.getLocalSocketAddress();
        }
        GatewayAnswer answer = PortControl.ask(LOCAL, closed, Budget.after(Duration.ofSeconds(2)));

        assertThat(answer.result()).isEqualTo("refused");
        assertThat(answer.note()).contains("ICMP port unreachable");
    }

    @Test
    void answersFromAnotherSourceAreNotHeard() throws Exception {
        try (ScriptedGateway gateway = ScriptedGateway.start();
                DatagramSocket other = new DatagramSocket(new InetSocketAddress(LOCAL, 0))) {
            gateway.onPortControl((request, g, from) -> {
                byte[] reply = pcpResponse(request, 0);
                other.send(new java.net.DatagramPacket(reply, reply.length, from));
            });
            GatewayAnswer answer = ask(gateway, Duration.ofMillis(300));

            assertThat(answer.result()).isEqualTo("no-answer");
        } catch (IOException e) {
            throw e;
        }
    }
}
