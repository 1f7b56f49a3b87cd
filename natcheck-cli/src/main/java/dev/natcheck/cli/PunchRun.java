package dev.natcheck.cli;

import dev.natcheck.address.AddressText;
import dev.natcheck.behavior.BehaviorDiscovery;
import dev.natcheck.command.ManifestVersion;
import dev.natcheck.output.AtomicFile;
import dev.natcheck.output.PunchJsonReport;
import dev.natcheck.output.PunchTextReport;
import dev.natcheck.probe.Deadline;
import dev.natcheck.probe.Family;
import dev.natcheck.probe.InterfaceSelection;
import dev.natcheck.probe.ProbeTarget;
import dev.natcheck.probe.ResolvedServer;
import dev.natcheck.probe.ServerDirectory;
import dev.natcheck.probe.ServerSpec;
import dev.natcheck.punch.Candidate;
import dev.natcheck.punch.CandidateType;
import dev.natcheck.punch.CheckSession;
import dev.natcheck.punch.Gatherer;
import dev.natcheck.punch.PeerRequests;
import dev.natcheck.punch.Prediction;
import dev.natcheck.punch.PunchOutcome;
import dev.natcheck.punch.PunchReport;
import dev.natcheck.punch.RelayedRound;
import dev.natcheck.punch.Strategy;
import dev.natcheck.punch.Token;
import dev.natcheck.punch.TokenCodec;
import dev.natcheck.punch.TokenException;
import dev.natcheck.relay.Allocation;
import dev.natcheck.relay.RelayOutcome;
import dev.natcheck.relay.RelayPool;
import dev.natcheck.relay.TurnCredentials;
import dev.natcheck.transaction.Endpoint;
import dev.natcheck.transaction.Ignored;
import dev.natcheck.transaction.Pacer;
import dev.natcheck.transaction.Request;
import dev.natcheck.transaction.Schedule;
import dev.natcheck.transaction.Transaction;
import dev.natcheck.transaction.TransactionLoop;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * One {@code natcheck punch} side from start to end: check the flags (and, for the answer side,
 * the offer token) before anything is sent; one socket per local address; gather
 * ({@link Gatherer}); print the token; for the offer side, wait for the answer token while
 * keeping the NAT mapping alive; predict ({@link Strategy}); run the checks
 * ({@link CheckSession}); print the report. Every socket is closed when it returns, whatever
 * happened: nothing is left listening.
 */
final class PunchRun {

    /** Time to release the TURN allocations at the end, whatever happened. */
    static final Duration RELEASE = Duration.ofSeconds(2);
    /**
     * The direct round's time when the prediction says relay and a relay is at hand: both sides
     * predict alike, so both cut it alike, and the round still catches a wrong prediction.
     */
    static final Duration DIRECT_WHEN_RELAY_PREDICTED = Duration.ofSeconds(2);
    /** Time for a relay to grant the permission for the peer's addresses. */
    static final Duration PERMISSION = Duration.ofSeconds(2);
    /** How often the offer side refreshes its NAT mapping while it waits for the answer. */
    static final Duration KEEPALIVE = Duration.ofSeconds(15);
    /** New transactions start at most one every 8 ms, 125 a second: the birthday trick's pace, a bound for all. */
    private final Pacer pace = new Pacer(Duration.ofMillis(8), 125, Duration.ofSeconds(1));

    private final Environment environment;
    private final PunchCommand.Options options;
    private final CommandLine commandLine;
    private final SecureRandom random = new SecureRandom();
    /** What to answer the relays' 401 with (--turn-user, --turn-secret). */
    private Optional<TurnCredentials> credentials = Optional.empty();

    PunchRun(Environment environment, PunchCommand.Options options, CommandLine commandLine) {
        this.environment = environment;
        this.options = options;
        this.commandLine = commandLine;
    }

    int offer(Optional<Path> answerFile, Duration wait) throws IOException, InterruptedException {
        validate();
        return run(Token.Kind.OFFER, Optional.empty(), answerFile, wait);
    }

    int answer(String offerText) throws IOException, InterruptedException {
        validate();
        Token offer = read(offerText, Token.Kind.OFFER, "the offer token");
        return run(Token.Kind.ANSWER, Optional.of(offer), Optional.empty(), Duration.ZERO);
    }

    private void validate() {
        LogSetup.apply(options.verbose.length, options.quiet);
        credentials = options.turn.credentials(commandLine);
        if (options.ipv4Only && options.ipv6Only) {
            throw new ParameterException(commandLine, "-4 and -6 exclude each other (give neither for both)");
        }
        if (options.quiet && options.verbose.length > 0) {
            throw new ParameterException(commandLine, "-q and -v exclude each other");
        }
        if (options.tokenFile != null) {
            try {
                AtomicFile.check(options.tokenFile);
            } catch (AtomicFile.UnwritableException e) {
                throw new ParameterException(commandLine, "--token-file " + options.tokenFile + ": " + e.getMessage());
            }
        }
    }

    private Token read(String text, Token.Kind expected, String what) {
        Token token;
        try {
            token = TokenCodec.decode(text);
        } catch (TokenException e) {
            throw new ParameterException(commandLine, what + ": " + e.getMessage());
        }
        if (token.kind() != expected) {
            throw new ParameterException(
                    commandLine,
                    what + " is an " + token.kind().text() + " token; "
                            + (expected == Token.Kind.OFFER
                                    ? "'natcheck punch answer' takes the offer the peer printed"
                                    : "the offer side waits for the peer's answer token"));
        }
        return token;
    }

    private int run(Token.Kind side, Optional<Token> offer, Optional<Path> answerFile, Duration wait)
            throws IOException, InterruptedException {
        List<ProbeTarget> targets = targets();
        if (targets.isEmpty()) {
            return 1;
        }
        List<InetSocketAddress> servers = servers(targets);
        AtomicReference<Consumer<Ignored>> ignoredSink = new AtomicReference<>(i -> {});
        RelayPool pool = RelayPool.none();
        // With relays held, a signal must not end the JVM before they are released.
        try (InterruptOnSignal stop = options.turn.relays.isEmpty()
                        ? InterruptOnSignal.none()
                        : InterruptOnSignal.interrupting(Thread.currentThread());
                TransactionLoop loop =
                        new TransactionLoop(pace, i -> ignoredSink.get().accept(i))) {
            try {
                List<Endpoint> endpoints = new ArrayList<>();
                for (ProbeTarget target : targets) {
                    Endpoint endpoint =
                            loop.open("punch " + target.interfaceName(), target.address(), Optional.empty());
                    endpoint.onUnsolicited(d -> {}); // the peer's checks before we can judge them: it retransmits
                    endpoints.add(endpoint);
                }
                Gatherer.Gathered gathered = Gatherer.gather(
                        loop, endpoints, servers, new BehaviorDiscovery(new Pacer()), options.stunTimeout);
                if (!options.turn.relays.isEmpty()) {
                    RelayPool gathering = RelayPool.none();
                    ignoredSink.set(i -> {});
                    pool = gathering = RelayPool.gather(
                            loop,
                            options.turn.relays,
                            credentials,
                            environment.resolver(),
                            targets.getFirst().family(),
                            options.stunTimeout);
                    relayNotes(gathering);
                }
                return check(side, offer, answerFile, wait, loop, endpoints, servers, gathered, pool, ignoredSink);
            } catch (InterruptedException e) {
                Thread.interrupted(); // taken: the release below must still go out
                int signal = stop.received();
                error("interrupted" + (pool.held().isEmpty() ? "" : "; releasing the TURN allocations"));
                return 128 + (signal > 0 ? signal : 2);
            } finally {
                pool.release(loop, RELEASE);
            }
        }
    }

    /** From the token to the report: publish, wait for the peer, predict, check directly, then through relays. */
    private int check(
            Token.Kind side,
            Optional<Token> offer,
            Optional<Path> answerFile,
            Duration wait,
            TransactionLoop loop,
            List<Endpoint> endpoints,
            List<InetSocketAddress> servers,
            Gatherer.Gathered gathered,
            RelayPool pool,
            AtomicReference<Consumer<Ignored>> ignoredSink)
            throws IOException, InterruptedException {
        List<Candidate> candidates = new ArrayList<>();
        for (RelayPool.Held held : pool.held()) {
            candidates.add(new Candidate(CandidateType.RELAYED, held.relayedAddress())); // the fastest first
        }
        candidates.addAll(gathered.candidates());
        Token local = TokenCodec.fit(
                Token.withFreshCredentials(side, gathered.profile(), options.birthday, candidates, random));
        String localText = TokenCodec.encode(local);
        // Before the token goes out: once the peer has it, this side must be checking at once,
        // not loading the crypto provider.
        PeerRequests.warmUp();
        Token peer;
        if (side == Token.Kind.OFFER) {
            publish(side, localText, gathered);
            Optional<Token> answer = awaitAnswer(loop, endpoints, servers, answerFile, wait);
            if (answer.isEmpty()) {
                notice("no answer token within " + wait.toSeconds() + " s; nothing was checked");
                return 1;
            }
            peer = answer.get();
        } else {
            peer = offer.orElseThrow();
        }
        if (peer.ufrag().equals(local.ufrag()) && peer.password().equals(local.password())) {
            throw new ParameterException(commandLine, "that is this side's own token, not the peer's");
        }
        Prediction prediction = Strategy.predict(local.profile(), peer.profile(), local.birthday() || peer.birthday());
        boolean relayRound = hasRelayed(local) || hasRelayed(peer);
        // A relay predicted and one at hand: the direct round only catches a wrong prediction.
        Duration directTime = relayRound && prediction.path() == Prediction.Path.RELAY
                ? min(options.timeout, DIRECT_WHEN_RELAY_PREDICTED)
                : options.timeout;
        notice("prediction: " + prediction.path().text() + "; checking for up to "
                + String.format(java.util.Locale.ROOT, "%.1f", directTime.toMillis() / 1000.0) + " s");
        Instant checksStarted = Instant.now();
        CheckSession session = session(side, local, peer, endpoints, prediction, directTime, false, loop, ignoredSink);
        // The answer side publishes its token once its first checks are under way, so the offer
        // side, which starts the moment it reads it, never checks alone.
        PunchOutcome outcome =
                session.run(side == Token.Kind.ANSWER ? () -> publish(side, localText, gathered) : () -> {});
        Optional<RelayedRound> relayed = Optional.empty();
        if (relayRound) {
            relayed = Optional.of(throughRelay(side, local, peer, prediction, loop, endpoints, pool, ignoredSink));
        }
        pool.release(loop, RELEASE); // before the report, so that it can say what became of them
        PunchReport report = new PunchReport(
                side,
                local,
                localText,
                gathered,
                peer,
                prediction,
                outcome,
                checksStarted,
                Instant.now(),
                ManifestVersion.version(Natcheck.class),
                pool.outcomes(),
                relayed);
        PrintWriter out = commandLine.getOut();
        if (options.output == PunchCommand.Format.JSON) {
            new PunchJsonReport().write(report, out);
        } else {
            new PunchTextReport(options.verbose.length > 0).write(report, out);
        }
        return report.exitCode();
    }

    /**
     * The round through TURN relays, both sides run it when either token has a relayed candidate:
     * this side's fastest relayed address (permitted first for every address of the peer) and its
     * sockets towards the peer's relayed candidates, checked like the direct round.
     */
    private RelayedRound throughRelay(
            Token.Kind side,
            Token local,
            Token peer,
            Prediction prediction,
            TransactionLoop loop,
            List<Endpoint> endpoints,
            RelayPool pool,
            AtomicReference<Consumer<Ignored>> ignoredSink)
            throws IOException, InterruptedException {
        List<Endpoint> sockets = new ArrayList<>(endpoints);
        Optional<RelayPool.Held> fastest = pool.held().stream().findFirst();
        if (fastest.isPresent()) {
            Allocation allocation = fastest.get().allocation();
            List<InetSocketAddress> peers =
                    peer.candidates().stream().map(Candidate::address).toList();
            Transaction permission = allocation.permit(peers, Schedule.forBudget(PERMISSION));
            loop.submit(permission);
            loop.run(System.nanoTime() + PERMISSION.toNanos(), allocation::settled);
            if (permission.answer().isEmpty()) {
                notice("the relay " + fastest.get().server()
                        + " did not grant the permission for the peer's addresses: " + permission.outcome());
            }
            sockets.add(fastest.get().endpoint());
        }
        notice("checking through " + fastest.map(h -> "the relay " + h.server()).orElse("the peer's relay")
                + " for up to " + options.timeout.toSeconds() + " s");
        CheckSession session =
                session(side, local, peer, sockets, prediction, options.timeout, true, loop, ignoredSink);
        PunchOutcome outcome = session.run(() -> {});
        return new RelayedRound(
                fastest.map(RelayPool.Held::server), fastest.map(RelayPool.Held::relayedAddress), outcome);
    }

    /** A round of checks from {@code sockets} for up to {@code time}; what the loop ignores goes to it. */
    private CheckSession session(
            Token.Kind side,
            Token local,
            Token peer,
            List<Endpoint> sockets,
            Prediction prediction,
            Duration time,
            boolean throughRelay,
            TransactionLoop loop,
            AtomicReference<Consumer<Ignored>> ignoredSink) {
        CheckSession session = new CheckSession(
                loop,
                new CheckSession.Setup(
                        local,
                        peer,
                        side == Token.Kind.OFFER,
                        sockets,
                        prediction,
                        System.nanoTime() + time.toNanos(),
                        random,
                        throughRelay));
        ignoredSink.set(session::engineIgnored);
        return session;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static boolean hasRelayed(Token token) {
        return token.candidates().stream().anyMatch(c -> c.type() == CandidateType.RELAYED);
    }

    /** One line per relay that does not work, and which works fastest. */
    private void relayNotes(RelayPool pool) {
        for (RelayOutcome o : pool.outcomes()) {
            notice("relay " + o.server() + ": " + o.result() + ", " + o.detail());
        }
        if (pool.held().isEmpty()) {
            notice("no TURN relay works from here: the token carries no relayed candidate");
        }
    }

    private List<ProbeTarget> targets() throws IOException {
        Set<Family> families = options.ipv4Only
                ? EnumSet.of(Family.IPV4)
                : options.ipv6Only ? EnumSet.of(Family.IPV6) : EnumSet.allOf(Family.class);
        InterfaceSelection.Selected selected = Environment.selectInterfaces(
                environment.listInterfaces(),
                new InterfaceSelection.Request(new LinkedHashSet<>(options.interfaces), families, false),
                commandLine);
        if (selected.targets().isEmpty()) {
            error("no interface with a usable address to punch from; skipped: "
                    + String.join("; ", selected.skipped()));
        }
        // IPv4 first: its profile is the token's, and its candidates matter most behind a NAT.
        List<ProbeTarget> ordered = new ArrayList<>(selected.targets());
        ordered.sort((a, b) -> Boolean.compare(a.family() != Family.IPV4, b.family() != Family.IPV4));
        return ordered;
    }

    private List<InetSocketAddress> servers(List<ProbeTarget> targets) throws InterruptedException {
        List<ServerSpec> specs = options.servers.isEmpty() ? environment.defaultServers() : options.servers;
        ServerDirectory directory = ServerDirectory.resolve(
                specs, environment.resolver(), Deadline.after(options.stunTimeout.dividedBy(4)));
        List<InetSocketAddress> servers = new ArrayList<>();
        for (Family family :
                targets.stream().map(ProbeTarget::family).distinct().toList()) {
            directory.notes(family).forEach(this::notice);
            directory.servers(family).stream().map(ResolvedServer::address).forEach(servers::add);
        }
        if (servers.isEmpty()) {
            notice("no STUN server resolved: the token carries host addresses only");
        }
        return servers.stream().distinct().toList();
    }

    private void publish(Token.Kind side, String text, Gatherer.Gathered gathered) {
        notice("this side: " + gathered.profile().describe());
        if (options.tokenFile != null) {
            try {
                AtomicFile.write(options.tokenFile, text + "\n");
            } catch (IOException e) {
                throw new ParameterException(
                        commandLine, "cannot write --token-file " + options.tokenFile + ": " + AtomicFile.reason(e));
            }
            notice("token written to " + options.tokenFile);
        } else {
            PrintWriter out = commandLine.getOut();
            out.println(text);
            out.flush();
        }
        notice(
                side == Token.Kind.OFFER
                        ? "send the token to the peer, who runs: natcheck punch answer TOKEN; then paste the answer token here"
                        : "send the token back to the peer; checking starts now");
    }

    /**
     * Waits for the answer token, refreshing each socket's NAT mapping every {@link #KEEPALIVE}
     * meanwhile; the peer's early checks are left unanswered (it retransmits).
     */
    private Optional<Token> awaitAnswer(
            TransactionLoop loop,
            List<Endpoint> endpoints,
            List<InetSocketAddress> servers,
            Optional<Path> answerFile,
            Duration wait)
            throws IOException, InterruptedException {
        AtomicReference<String> text = new AtomicReference<>();
        AtomicReference<String> failure = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().daemon().name("answer-token").start(() -> {
            try {
                String value = answerFile.isPresent() ? watch(answerFile.get(), wait) : firstLine();
                if (value == null) {
                    failure.set(
                            answerFile.isPresent()
                                    ? "--answer-file " + answerFile.get() + " did not appear"
                                    : "no answer token on stdin (end of input)");
                } else {
                    text.set(value);
                }
            } catch (IOException e) {
                failure.set("cannot read the answer token: " + e.getMessage());
            } catch (InterruptedException e) {
                return;
            }
            loop.wakeup();
        });
        Deadline deadline = Deadline.after(wait);
        try {
            while (text.get() == null && failure.get() == null && !deadline.expired()) {
                for (Endpoint endpoint : endpoints) {
                    servers.stream()
                            .filter(s ->
                                    Family.of(endpoint.local().getAddress()).contains(s.getAddress()))
                            .findFirst()
                            .ifPresent(server -> loop.submit(Transaction.of(
                                    "keepalive",
                                    endpoint,
                                    server,
                                    Request.binding(),
                                    Schedule.forBudget(Duration.ofSeconds(3)))));
                }
                long next = Math.min(deadline.nanos(), System.nanoTime() + KEEPALIVE.toNanos());
                loop.runUntil(next, this::keptAlive, () -> text.get() != null || failure.get() != null);
            }
        } finally {
            reader.interrupt();
        }
        if (failure.get() != null && text.get() == null) {
            throw new ParameterException(commandLine, failure.get());
        }
        return Optional.ofNullable(text.get()).map(t -> read(t, Token.Kind.ANSWER, "the answer token"));
    }

    private void keptAlive(Transaction keepalive) {
        keepalive
                .answer()
                .flatMap(a -> a.mapped())
                .ifPresent(m -> org.slf4j.LoggerFactory.getLogger(PunchRun.class)
                        .info(
                                "keepalive from {}: mapped {}",
                                AddressText.format(keepalive.endpoint().local()),
                                AddressText.format(m)));
    }

    /** The first non-blank line on stdin, or null at its end. */
    private static String firstLine() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (!line.isBlank()) {
                return line;
            }
        }
        return null;
    }

    /** The content of {@code file} once it exists and is not empty, or null when {@code wait} passes. */
    private static String watch(Path file, Duration wait) throws IOException, InterruptedException {
        Deadline deadline = Deadline.after(wait);
        while (!deadline.expired()) {
            if (Files.isRegularFile(file) && Files.size(file) > 0) {
                return Files.readString(file, StandardCharsets.UTF_8);
            }
            Thread.sleep(50);
        }
        return null;
    }

    private void notice(String line) {
        if (!options.quiet) {
            PrintWriter err = commandLine.getErr();
            err.println("natcheck punch: " + line);
            err.flush();
        }
    }

    private void error(String line) {
        PrintWriter err = commandLine.getErr();
        err.println("natcheck punch: " + line);
        err.flush();
    }
}
