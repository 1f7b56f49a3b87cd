package dev.natcheck.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@code natcheck punch} between the two clients of a {@link PeerPair}: the offer in the
 * client's namespace, the answer in the peer's, the tokens passed through files as a script
 * would, both with {@code -o json}. The result holds both exit statuses and documents.
 *
 * @param offer the offer side's run
 * @param answer the answer side's run
 */
public record PunchSides(Side offer, Side answer) {

    /** The natcheck jar, relative to the project root. */
    public static final String JAR = NatcheckRun.JAR;

    /** One side's run: its exit status, its JSON document (null when there is none), its output. */
    public record Side(int exitCode, Map<String, Object> document, String describe) {

        @SuppressWarnings("unchecked")
        public Map<String, Object> object(String... path) {
            Map<String, Object> node = document;
            for (String key : path) {
                node = (Map<String, Object>) node.get(key);
            }
            return node;
        }

        public Map<String, Object> outcome() {
            return object("outcome");
        }

        public Map<String, Object> prediction() {
            return object("prediction");
        }

        public boolean directPath() {
            return Boolean.TRUE.equals(outcome().get("direct_path"));
        }

        public double counts(String key) {
            return (Double) object("counts").get(key);
        }
    }

    /**
     * Runs both sides with {@code extra} flags each (after the common ones: {@code -4 -s SERVER
     * -o json --stun-timeout 8s --timeout TIMEOUT}); the offer starts first, the answer once the
     * offer token is written, as a person would paste it.
     */
    public static PunchSides run(LabNetwork net, Path jar, Duration timeout, List<String> extra) {
        Path dir = net.logDir().resolve("punch-" + System.nanoTime());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path offerToken = dir.resolve("offer.token");
        Path answerToken = dir.resolve("answer.token");
        List<String> offerCommand = common(jar, net, timeout, "offer");
        offerCommand.addAll(List.of("--token-file", offerToken.toString(), "--answer-file", answerToken.toString()));
        offerCommand.addAll(extra);
        LabProcess offer = net.start(Role.CLI, dir.getFileName() + "-offer", offerCommand);
        String token = awaitToken(offerToken, offer, Duration.ofSeconds(60));
        List<String> answerCommand = common(jar, net, timeout, "answer");
        answerCommand.addAll(List.of("--token-file", answerToken.toString()));
        answerCommand.addAll(extra);
        answerCommand.add(token);
        Duration limit = timeout.plusSeconds(60);
        ExecResult answer = net.exec(Role.PEER, limit, answerCommand);
        int offerStatus = offer.waitFor(limit);
        return new PunchSides(
                side(offerStatus, offer.stdout(), offer.describe()),
                side(answer.timedOut() ? -1 : answer.exitCode(), answer.stdout(), answer.describe()));
    }

    private static List<String> common(Path jar, LabNetwork net, Duration timeout, String side) {
        return new ArrayList<>(List.of(
                Lab.java().toString(),
                "-jar",
                jar.toString(),
                "punch",
                side,
                "-4",
                "-s",
                Family.hostPort(net.facts().server4(), ProjectServers.STUN_PORT),
                "-o",
                "json",
                "--stun-timeout",
                "8s",
                "--timeout",
                timeout.toMillis() + "ms"));
    }

    private static String awaitToken(Path file, LabProcess offer, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (Files.isRegularFile(file) && Files.size(file) > 0) {
                    return Files.readString(file, StandardCharsets.UTF_8).strip();
                }
                if (!offer.isAlive()) {
                    throw new IllegalStateException(
                            "the offer side exited before writing its token: " + offer.describe());
                }
                Thread.sleep(50);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no offer token after " + limit + ": " + offer.describe());
    }

    @SuppressWarnings("unchecked")
    private static Side side(int status, String stdout, String describe) {
        Map<String, Object> document = null;
        if (stdout.strip().startsWith("{")) {
            document = (Map<String, Object>) Json.parse(stdout.strip());
        }
        return new Side(status, document, describe);
    }
}
