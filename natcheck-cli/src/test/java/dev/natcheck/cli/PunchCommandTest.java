package dev.natcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.natcheck.address.AddressText;
import dev.natcheck.output.DocumentedJson;
import dev.natcheck.probe.InterfaceInfo;
import dev.natcheck.punch.Token;
import dev.natcheck.punch.TokenCodec;
import dev.natcheck.stunserver.StunServer;
import dev.natcheck.stunserver.StunServerConfig;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code natcheck punch} end to end on loopback, both sides in this JVM against natcheck's own
 * RFC 5780 server (127.0.0.1 and 127.0.0.2): tokens through files and through stdin, the JSON
 * report, sockets closed afterwards; and every bad token or flag refused with one line and exit
 * 2 before anything is sent.
 */
class PunchCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A thread per side: the common pool may have a single worker on a two-core machine. */
    private static final java.util.concurrent.Executor SIDES = java.util.concurrent.Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().daemon().factory());

    private static StunServer server;
    private static String serverFlag;

    @TempDir
    Path dir;

    /** Loopback only: the one interface, a resolver that knows no name. */
    static final Environment LOOPBACK = new Environment(
            List.of(),
            host -> {
                throw new UnknownHostException(host);
            },
            () -> List.of(new InterfaceInfo("lo", true, true, List.of(InetAddress.getLoopbackAddress()))));

    @BeforeAll
    static void start() throws Exception {
        server = StunServer.start(StunServerConfig.loopbackEphemeral(InetAddress.getByName("127.0.0.2")));
        serverFlag = AddressText.format(server.boundAddresses().getFirst());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String[] side(String side, String... more) {
        List<String> args = new java.util.ArrayList<>(
                List.of("punch", side, "-i", "lo", "-4", "-s", serverFlag, "--timeout", "10s", "--stun-timeout", "3s"));
        if (!List.of(more).contains("-o")) {
            args.addAll(List.of("-o", "json"));
        }
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void twoSidesOnLoopbackFindTheDirectPathAndCloseEverySocket() throws Exception {
        Path offerToken = dir.resolve("offer.token");
        Path answerToken = dir.resolve("answer.token");
        CompletableFuture<Run> offer = CompletableFuture.supplyAsync(
                () -> Run.of(
                        LOOPBACK,
                        side("offer", "--token-file", offerToken.toString(), "--answer-file", answerToken.toString())),
                SIDES);
        String token = awaitFile(offerToken);
        Run answer = Run.of(LOOPBACK, side("answer", "--token-file", answerToken.toString(), token));
        Run offered = offer.get(60, TimeUnit.SECONDS);

        for (Run run : List.of(offered, answer)) {
            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode doc = JSON.readTree(run.out());
            assertThat(doc.get("punch_schema").asInt()).isEqualTo(2);
            assertThat(doc.at("/prediction/path").asText()).isEqualTo("direct");
            assertThat(doc.at("/local/profile/translated").asBoolean()).isFalse();
            assertThat(doc.at("/outcome/direct_path").asBoolean()).isTrue();
            assertThat(doc.at("/outcome/as_predicted").asBoolean()).isTrue();
            assertThat(doc.at("/outcome/rtt_ms/samples").asInt()).isPositive();
            assertThat(doc.at("/ignored/spoofed").asInt()).isZero();
            // Every socket is closed: the port of this side's host candidate can be bound again.
            String host = doc.at("/local/candidates/0/address").asText();
            InetSocketAddress local = AddressText.parseSocketAddress(host).orElseThrow();
            try (DatagramSocket again = new DatagramSocket(local)) {
                assertThat(again.getLocalPort()).isEqualTo(local.getPort());
            }
        }
        JsonNode offerDoc = JSON.readTree(offered.out());
        JsonNode answerDoc = JSON.readTree(answer.out());
        assertDocumented(offerDoc);
        assertDocumented(answerDoc);
        assertThat(offerDoc.at("/outcome/nominated_by").asText()).isEqualTo("local");
        assertThat(answerDoc.at("/outcome/nominated_by").asText()).isEqualTo("peer");
        assertThat(offerDoc.at("/outcome/remote").asText())
                .isEqualTo(answerDoc.at("/outcome/local").asText());
        assertThat(answerDoc.at("/outcome/remote").asText())
                .isEqualTo(offerDoc.at("/outcome/local").asText());
        assertThat(offerDoc.at("/local/token").asText())
                .isEqualTo(Files.readString(offerToken).strip());
    }

    @Test
    void theOfferSideReadsTheAnswerFromStdinAndPrintsItsTokenFirst() throws Exception {
        PipedOutputStream typing = new PipedOutputStream();
        InputStream stdin = System.in;
        System.setIn(new PipedInputStream(typing));
        try {
            Path answerToken = dir.resolve("answer.token");
            java.io.StringWriter offerOut = new java.io.StringWriter();
            CompletableFuture<Integer> offer = CompletableFuture.supplyAsync(
                    () -> {
                        var commandLine = Natcheck.commandLine(new Natcheck(LOOPBACK));
                        commandLine.setOut(new java.io.PrintWriter(offerOut, true));
                        commandLine.setErr(new java.io.PrintWriter(new java.io.StringWriter(), true));
                        return commandLine.execute(side("offer", "-o", "text"));
                    },
                    SIDES);
            String token = awaitFirstLine(offerOut);
            CompletableFuture<Run> answering = CompletableFuture.supplyAsync(
                    () -> Run.of(LOOPBACK, side("answer", "--token-file", answerToken.toString(), token)), SIDES);
            String answerText = awaitFile(answerToken, answering);
            typing.write(("\n" + answerText + "\n").getBytes(StandardCharsets.UTF_8));
            typing.flush();
            Run answer = answering.get(60, TimeUnit.SECONDS);
            int status = offer.get(60, TimeUnit.SECONDS);

            assertThat(answer.exitCode()).as(answer.err()).isZero();
            assertThat(status).as(offerOut.toString()).isZero();
            String[] lines = offerOut.toString().split("\n");
            assertThat(lines[0]).startsWith("nc.");
            assertThat(offerOut.toString())
                    .contains("prediction: direct", "timeline (from having both tokens):", "result: direct path ")
                    .contains("as predicted (direct)");
        } finally {
            System.setIn(stdin);
            typing.close();
        }
    }

    static Stream<Arguments> badInput() {
        Token offer = Token.withFreshCredentials(
                Token.Kind.OFFER,
                dev.natcheck.punch.NatProfile.udpBlocked(),
                false,
                List.of(),
                new java.util.SplittableRandom(3));
        Token answer = Token.withFreshCredentials(
                Token.Kind.ANSWER,
                dev.natcheck.punch.NatProfile.udpBlocked(),
                false,
                List.of(),
                new java.util.SplittableRandom(4));
        String good = TokenCodec.encode(offer);
        byte[] raw = Base64.getUrlDecoder().decode(good.substring(3));
        raw[0] = 2;
        String version2 = "nc." + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        String tampered = good.substring(0, 20) + (good.charAt(20) == 'A' ? 'B' : 'A') + good.substring(21);
        return Stream.of(
                Arguments.of(new String[] {"punch"}, "say which side"),
                Arguments.of(new String[] {"punch", "answer"}, "Missing required parameter: 'TOKEN'"),
                Arguments.of(
                        new String[] {"punch", "answer", good.substring(0, good.length() - 5)}, "the offer token: "),
                Arguments.of(
                        new String[] {"punch", "answer", version2}, "token version 2; this natcheck reads version 1"),
                Arguments.of(new String[] {"punch", "answer", tampered}, "checksum mismatch"),
                Arguments.of(new String[] {"punch", "answer", "stun:stun.example.org"}, "not a natcheck punch token"),
                Arguments.of(
                        new String[] {"punch", "answer", TokenCodec.encode(answer)},
                        "the offer token is an answer token"),
                Arguments.of(new String[] {"punch", "offer", "-4", "-6"}, "-4 and -6 exclude each other"),
                Arguments.of(new String[] {"punch", "offer", "-o", "brief"}, "'brief' is not a punch output format"),
                Arguments.of(new String[] {"punch", "offer", "--timeout", "0s"}, "the duration must be positive"),
                Arguments.of(new String[] {"punch", "offer", "-q", "-v"}, "-q and -v exclude each other"),
                Arguments.of(new String[] {"punch", "answer", "--token-file", "/", good}, "--token-file /"));
    }

    @ParameterizedTest
    @MethodSource("badInput")
    void badTokensAndFlagsAreOneLineAndExit2(String[] args, String message) {
        Run run = Run.of(UsageErrorsTest.OFFLINE, args);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip()).contains(message).doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void anOfferWithoutAnAnswerOnStdinEndsWithOneLine() {
        InputStream stdin = System.in;
        System.setIn(InputStream.nullInputStream());
        try {
            Run run = Run.of(
                    LOOPBACK, side("offer", "--token-file", dir.resolve("t").toString()));
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).contains("no answer token on stdin (end of input)");
        } finally {
            System.setIn(stdin);
        }
    }

    private static final Path DOC = Path.of("..", "docs", "punch.md");

    /** docs/punch.md's JSON tables: heading to field to type, in the documented order. */
    static java.util.Map<String, java.util.Map<String, String>> documented() throws Exception {
        return DocumentedJson.tables(DOC, "#### ");
    }

    /** Every object of {@code doc} has exactly the documented fields, in order, of the documented types. */
    static void assertDocumented(JsonNode doc) throws Exception {
        var tables = documented();
        assertThat(tables.keySet())
                .containsExactly(
                        "Top level",
                        "`local`",
                        "`local.profile`",
                        "`prediction`",
                        "`outcome`",
                        "`counts`",
                        "Each timeline event",
                        "Each relay",
                        "`relayed`");
        DocumentedJson.assertFields(doc, tables.get("Top level"));
        DocumentedJson.assertFields(doc.get("local"), tables.get("`local`"));
        var peerFields = new java.util.LinkedHashMap<>(tables.get("`local`"));
        peerFields.remove("token");
        DocumentedJson.assertFields(doc.get("peer"), peerFields);
        DocumentedJson.assertFields(doc.at("/local/profile"), tables.get("`local.profile`"));
        DocumentedJson.assertFields(doc.at("/peer/profile"), tables.get("`local.profile`"));
        DocumentedJson.assertFields(doc.get("prediction"), tables.get("`prediction`"));
        DocumentedJson.assertFields(doc.get("outcome"), tables.get("`outcome`"));
        DocumentedJson.assertFields(doc.get("counts"), tables.get("`counts`"));
        assertThat(doc.get("timeline")).isNotEmpty();
        for (JsonNode event : doc.get("timeline")) {
            DocumentedJson.assertFields(event, tables.get("Each timeline event"));
        }
        for (JsonNode relay : doc.get("relays")) {
            DocumentedJson.assertFields(relay, tables.get("Each relay"));
        }
        if (!doc.get("relayed").isNull()) {
            DocumentedJson.assertFields(doc.get("relayed"), tables.get("`relayed`"));
        }
        List<String> reasons = new java.util.ArrayList<>();
        doc.get("ignored").fieldNames().forEachRemaining(reasons::add);
        assertThat(reasons).containsExactly("stray", "wrong_username", "spoofed", "unknown_source", "replayed");
    }

    private static String awaitFile(Path file) throws Exception {
        return awaitFile(file, new CompletableFuture<>());
    }

    /** The token in {@code file} once written; fails at once when {@code writer} ended without writing it. */
    private static String awaitFile(Path file, CompletableFuture<Run> writer) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (writer.isDone() && !Files.isRegularFile(file)) {
                throw new AssertionError("ended without writing " + file + ": " + writer.get());
            }
            if (Files.isRegularFile(file) && Files.size(file) > 0) {
                return Files.readString(file).strip();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no token in " + file);
    }

    private static String awaitFirstLine(java.io.StringWriter out) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String text = out.toString();
            int newline = text.indexOf('\n');
            if (newline > 0) {
                return text.substring(0, newline);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the offer printed no token");
    }
}
