package dev.natcheck.cli;

import dev.natcheck.address.AddressText;
import dev.natcheck.asn.AsnLookupException;
import dev.natcheck.asn.AsnProvider;
import dev.natcheck.asn.AsnRecord;
import dev.natcheck.behavior.BehaviorDiscovery;
import dev.natcheck.behavior.BehaviorReport;
import dev.natcheck.behavior.BehaviorSurvey;
import dev.natcheck.classify.AddressScope;
import dev.natcheck.classify.Classification;
import dev.natcheck.classify.Classifier;
import dev.natcheck.classify.ClassifyPolicy;
import dev.natcheck.classify.Observation;
import dev.natcheck.classify.OutboundPath;
import dev.natcheck.classify.Reply;
import dev.natcheck.classify.UntrustedText;
import dev.natcheck.classify.Verdict;
import dev.natcheck.command.ManifestVersion;
import dev.natcheck.command.OneLineErrors;
import dev.natcheck.gateway.GatewayEndpoint;
import dev.natcheck.gateway.GatewayReport;
import dev.natcheck.gateway.GatewaySurvey;
import dev.natcheck.output.AtomicFile;
import dev.natcheck.output.OutputFormat;
import dev.natcheck.output.PrometheusReport;
import dev.natcheck.output.Report;
import dev.natcheck.output.ReportWriter;
import dev.natcheck.output.RunHistory;
import dev.natcheck.path.PathTrace;
import dev.natcheck.probe.Deadline;
import dev.natcheck.probe.Family;
import dev.natcheck.probe.InterfaceInfo;
import dev.natcheck.probe.InterfaceSelection;
import dev.natcheck.probe.ProbeOutcome;
import dev.natcheck.probe.ProbeStateMachine;
import dev.natcheck.probe.ProbeTarget;
import dev.natcheck.probe.ServerDirectory;
import dev.natcheck.probe.ServerSpec;
import dev.natcheck.probe.StunUdpStage;
import dev.natcheck.probe.Survey;
import dev.natcheck.probe.TcpEchoStage;
import dev.natcheck.transaction.Pacer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code natcheck}: probe every interface and family, classify, print verdicts (docs/cli.md).
 */
@Command(
        name = "natcheck",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        subcommands = {
            AsnCommand.class,
            PunchCommand.class,
            RelayCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeOnInvalidInput = 2,
        exitCodeOnExecutionException = 3,
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
            "What stands between this host and the Internet: no NAT, a home router's NAT (CPE), "
                    + "carrier-grade NAT, NAT66, symmetric NAT, or blocked UDP, per interface and address family, "
                    + "with the evidence behind each verdict.",
            "Verdicts go to stdout, logs to stderr."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  natcheck",
            "      every interface, both families, against public STUN servers",
            "  natcheck --local",
            "      start natcheck's own servers on loopback and check against them",
            "  natcheck -4 -i eth0 -s stun.example.org:3478 --timeout 3s",
            "  natcheck --behavior -s stun.example.org",
            "      also mapping, filtering, hairpinning, ALG and the RFC 3489 NAT type (RFC 5780)",
            "  natcheck -o json | jq -r '.probes[].verdict'",
            "  natcheck -q --prometheus-file /var/lib/node_exporter/textfile/natcheck.prom"
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:some probe learned its outside address",
            "1:none did: BLOCKED, REFUSED, SERVER_ERROR or UNRESOLVED everywhere",
            "2:usage error, or an output file that cannot be written",
            "3:internal error",
            "130:interrupted (Ctrl-C), after printing what was known"
        })
public final class Natcheck implements Callable<Integer> {

    /** The usage error status (docs/design.md §7). */
    static final int EXIT_USAGE = 2;
    /** The internal error status (docs/design.md §7). */
    static final int EXIT_INTERNAL = 3;
    /** Interrupted (SIGINT, Ctrl-C) after printing what was known: 128 + SIGINT, as shells report it. */
    static final int EXIT_INTERRUPTED = 130;
    /** Ended by SIGTERM without {@code --every}: 128 + SIGTERM, what the JVM's own handling exits with. */
    static final int EXIT_TERMINATED = 143;

    private final Environment environment;

    @Spec
    CommandSpec spec;

    @Option(names = "-4", description = "Probe IPv4 only.")
    boolean ipv4Only;

    @Option(names = "-6", description = "Probe IPv6 only.")
    boolean ipv6Only;

    @Option(
            names = {"-i", "--interface"},
            paramLabel = "IFACE",
            description = "Probe only this interface (repeatable); naming loopback probes it.%n  e.g. -i eth0 -i wlan0")
    List<String> interfaces = new ArrayList<>();

    @Option(
            names = {"-s", "--server"},
            paramLabel = "HOST[:PORT]",
            converter = Converters.ServerConverter.class,
            description = "STUN server (repeatable, all asked in parallel; default port 3478). Without -s a built-in "
                    + "list of public servers is used.%n  e.g. -s stun.example.org -s [2001:db8::1]:3479")
    List<ServerSpec> servers = new ArrayList<>();

    @Option(
            names = "--tcp-port",
            paramLabel = "PORT",
            defaultValue = "8080",
            converter = Converters.PortConverter.class,
            description = "whoami port on the same hosts, for the TCP fallback when UDP gets no answer "
                    + "(default: ${DEFAULT-VALUE}).%n  e.g. --tcp-port 8080")
    int tcpPort;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "5s",
            converter = Converters.TimeoutConverter.class,
            description = "Overall time limit: UDP, symmetric check and TCP fallback all fit inside it "
                    + "(default: ${DEFAULT-VALUE}).%n  e.g. --timeout 2s, --timeout 800ms")
    Duration timeout;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "text",
            converter = Converters.OutputConverter.class,
            description = "text (table and summary), json (schema 3), brief (tab-separated), prometheus "
                    + "(node_exporter textfile) (default: ${DEFAULT-VALUE}).%n  e.g. -o json")
    OutputFormat output;

    @Mixin
    AsnOptions asn;

    @Option(
            names = "--cpe-asn",
            paramLabel = "ASN",
            split = ",",
            converter = Converters.AsnConverter.class,
            description = "AS numbers whose customers' routers hold the public address themselves: a 10.0.0.0/8 "
                    + "address behind an AS outside this list counts as CG-NAT. Needs --asn-db or --asn-dns."
                    + "%n  e.g. --cpe-asn 64496,AS64497")
    List<Long> cpeAsns = new ArrayList<>();

    @Option(
            names = "--prometheus-file",
            paramLabel = "PATH",
            description = "Also write the Prometheus textfile format to PATH, atomically (temp file + rename)."
                    + "%n  e.g. --prometheus-file /var/lib/node_exporter/textfile/natcheck.prom")
    Path prometheusFile;

    @Option(
            names = "--every",
            paramLabel = "DURATION",
            converter = Converters.EveryConverter.class,
            description = "Repeat the check until stopped (SIGTERM or Ctrl-C), printing each run's results and "
                    + "rewriting --prometheus-file after each; a run that finds nothing is counted in the file, "
                    + "not an exit. The first run starts at once, the second 0.5 to 1.5 intervals later, then one "
                    + "every DURATION +/- 5 %%, so a fleet does not probe in step. At least --timeout (plus "
                    + "--lifetime), at least 1m against the built-in public servers."
                    + "%n  e.g. --every 5m --prometheus-file /var/lib/prometheus/node-exporter/natcheck.prom")
    Duration every;

    @Option(
            names = "--no-gateway",
            description = "Do not ask the IPv4 default gateways for their own external address. By default each "
                    + "is asked with PCP (RFC 6887), NAT-PMP (RFC 6886) and UPnP IGD, beside the probes and for "
                    + "about 250 ms at most: a private, shared or different address there means a second NAT beyond "
                    + "the home router, e.g. carrier-grade NAT.")
    boolean noGateway;

    /** The old opt-in for asking the gateway, which is now the default; kept so scripts still run. */
    @Option(names = "--nat-pmp", hidden = true)
    boolean natPmp;

    @Option(
            names = "--local",
            description = "Start natcheck's own STUN server (127.0.0.1 and 127.0.0.2) and whoami server on loopback "
                    + "in this process and check against them: the whole pipeline, no Internet needed.")
    boolean local;

    @Option(
            names = "--behavior",
            description = "Also find the NAT's behaviour (RFC 5780) against a server that offers OTHER-ADDRESS: "
                    + "mapping and filtering (endpoint-independent, address-dependent, address-and-port-dependent), "
                    + "hairpinning, a generic ALG, and the RFC 3489 name (open, full cone, restricted cone, "
                    + "port-restricted cone, symmetric, ...). Runs alongside the probes, inside the same --timeout."
                    + "%n  e.g. natcheck --behavior -s stun.example.org")
    boolean behavior;

    @Option(
            names = "--lifetime",
            paramLabel = "MAX",
            arity = "0..1",
            fallbackValue = "3m",
            converter = Converters.TimeoutConverter.class,
            description = "With --behavior (implied): also measure how long an idle NAT binding lives (RFC 5780 "
                    + "section 4.6), testing idle times up to MAX (default 3m). The run then takes about MAX "
                    + "longer; Ctrl-C ends it early and prints what is known."
                    + "%n  e.g. --lifetime, --lifetime 5m")
    Duration lifetime;

    @Option(
            names = {"-v", "--verbose"},
            description = "More on stderr (-v info, -vv debug); with -o text, also the probe notes.")
    boolean[] verbose = new boolean[0];

    @Option(
            names = {"-q", "--quiet"},
            description = "Only errors on stderr.")
    boolean quiet;

    /** The command for this machine. */
    public Natcheck() {
        this(Environment.system());
    }

    /** The command for a given environment (tests: no public servers, no real DNS). */
    public Natcheck(Environment environment) {
        this.environment = environment;
    }

    /** The thread running the check while it may be interrupted; null before and after. */
    private volatile Thread worker;

    private final AtomicBoolean interruptRequested = new AtomicBoolean();

    /** SIGTERM asked {@code --every} to stop: it then exits 0 rather than 130. */
    private volatile boolean terminateRequested;

    /** The jitter of {@code --every} (tests hand in a seeded one). */
    RandomGenerator random = new SplittableRandom();

    /** Whether stderr is a terminal, where a long run shows its progress. */
    BooleanSupplier stderrIsTerminal = Terminal::stderr;

    /** The machine the command runs on, for its subcommands. */
    Environment environment() {
        return environment;
    }

    /** {@code java -jar natcheck.jar ...}. */
    public static void main(String[] args) {
        if (ManifestVersion.printIfAlone(args, "natcheck", Natcheck.class)) {
            return; // the same text as picocli's --version, without building its command model
        }
        Natcheck natcheck = new Natcheck();
        InterruptSignal.install(() -> {
            if (!natcheck.interrupt()) {
                // Nothing to report yet (or a second Ctrl-C): stop now, as without a handler.
                System.exit(EXIT_INTERRUPTED);
            }
        });
        InterruptSignal.installTerminate(() -> {
            if (!natcheck.terminate()) {
                // A single check: SIGTERM ends it as it always did, 128 + 15.
                System.exit(EXIT_TERMINATED);
            }
        });
        System.exit(commandLine(natcheck).execute(args));
    }

    /**
     * SIGTERM: {@code --every} stops after printing what the current run knows (if one is under
     * way) and exits 0, as a service stopped by systemd should. Returns false without
     * {@code --every}, where SIGTERM keeps its usual meaning.
     */
    boolean terminate() {
        if (every == null) {
            return false;
        }
        terminateRequested = true;
        interrupt(); // false only when a stop is already under way, or no run has begun: the loop checks the flag
        return true;
    }

    /**
     * Ctrl-C: the check stops waiting, prints what it knows and exits with {@link
     * #EXIT_INTERRUPTED}. Returns false when there is no check to stop, or it was asked already.
     */
    boolean interrupt() {
        Thread running = worker;
        if (running == null || !interruptRequested.compareAndSet(false, true)) {
            return false;
        }
        running.interrupt();
        return true;
    }

    /**
     * The picocli command line with natcheck's error handling: usage errors print one line and
     * exit 2, anything unexpected prints one line (the stack trace with -v) and exits 3.
     */
    public static CommandLine commandLine(Natcheck natcheck) {
        CommandLine commandLine = OneLineErrors.commandLine(natcheck);
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            err.println(UntrustedText.printable(cmd.getCommandSpec().qualifiedName() + ": internal error: " + ex));
            if (parseResult.hasMatchedOption("-v")) {
                StringWriter trace = new StringWriter();
                ex.printStackTrace(new PrintWriter(trace));
                err.print(trace);
            }
            err.flush();
            return EXIT_INTERNAL;
        });
        return commandLine;
    }

    @Override
    public Integer call() throws Exception {
        LogSetup.apply(verbose.length, quiet);
        validate();
        Optional<AsnProvider> asnProvider = asn.provider();
        ClassifyPolicy policy = new ClassifyPolicy(new HashSet<>(cpeAsns));
        Set<Family> families =
                ipv4Only ? EnumSet.of(Family.IPV4) : ipv6Only ? EnumSet.of(Family.IPV6) : EnumSet.allOf(Family.class);
        if (local) {
            try (LocalServers servers = LocalServers.start(families)) {
                return check(
                        servers.stunServers(),
                        servers.tcpPort(),
                        families,
                        Set.of(servers.loopbackName()),
                        true,
                        asnProvider,
                        policy);
            }
        }
        List<ServerSpec> serverList = servers.isEmpty() ? environment.defaultServers() : servers;
        return check(serverList, tcpPort, families, new LinkedHashSet<>(interfaces), false, asnProvider, policy);
    }

    private void validate() {
        if (ipv4Only && ipv6Only) {
            throw new ParameterException(spec.commandLine(), "-4 and -6 exclude each other (give neither for both)");
        }
        if (!cpeAsns.isEmpty() && !asn.configured()) {
            throw new ParameterException(
                    spec.commandLine(), "--cpe-asn needs an ASN source: --asn-db FILE or --asn-dns");
        }
        if (natPmp) {
            // Scripts written for the old opt-in keep working; the notice says it is not needed.
            notice("--nat-pmp is no longer needed and will go: the gateway is asked by default"
                    + " (PCP, NAT-PMP, UPnP); --no-gateway turns that off");
        }
        if (local && (!servers.isEmpty() || !interfaces.isEmpty())) {
            throw new ParameterException(
                    spec.commandLine(), "--local brings its own servers and probes loopback: leave out -s and -i");
        }
        if (quiet && verbose.length > 0) {
            throw new ParameterException(
                    spec.commandLine(), "-q and -v exclude each other (-q: errors only; -v: more detail)");
        }
        if (every != null) {
            validateEvery();
        }
        if (prometheusFile != null) {
            try {
                AtomicFile.check(prometheusFile);
            } catch (AtomicFile.UnwritableException e) {
                throw new ParameterException(
                        spec.commandLine(), "--prometheus-file " + prometheusFile + ": " + e.getMessage());
            }
        }
    }

    /** The shortest {@code --every} against the built-in list: those servers are other people's. */
    static final Duration PUBLIC_SERVERS_MIN_EVERY = Duration.ofMinutes(1);

    /** {@code --every} must leave room for a whole run, and spare the public servers. */
    private void validateEvery() {
        Duration run = lifetime == null ? timeout : timeout.plus(lifetime);
        if (every.compareTo(run) < 0) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--every " + Converters.text(every) + " is shorter than one run (--timeout "
                            + Converters.text(timeout)
                            + (lifetime == null ? "" : " plus --lifetime " + Converters.text(lifetime))
                            + "): give a longer --every or a shorter --timeout");
        }
        if (servers.isEmpty() && !local && every.compareTo(PUBLIC_SERVERS_MIN_EVERY) < 0) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--every " + Converters.text(every) + " against the built-in public STUN servers: at least "
                            + Converters.text(PUBLIC_SERVERS_MIN_EVERY)
                            + " (they are other people's servers); or name your own with -s");
        }
    }

    /** A line on stderr that is not an error: left out with -q, which means errors only. */
    private void notice(String line) {
        if (!quiet) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(UntrustedText.printable("natcheck: " + line));
            err.flush();
        }
    }

    /** One run's exit status, and the run history with it counted (unchanged when it was cut short). */
    private record RunResult(int status, RunHistory history) {}

    /** Which run this is (1 for the first; 0 without {@code --every}), when it began, and the history before it. */
    private record RunStart(long number, Instant at, RunHistory history) {}

    private int check(
            List<ServerSpec> serverList,
            int port,
            Set<Family> families,
            Set<String> names,
            boolean includeLoopback,
            Optional<AsnProvider> asnProvider,
            ClassifyPolicy policy)
            throws InterruptedException, IOException {
        // The file is the history: a one-shot run (cron) continues the count the last one wrote.
        RunHistory history = prometheusFile == null ? RunHistory.NONE : RunHistory.read(prometheusFile);
        if (every == null) {
            return runOnce(
                            serverList,
                            port,
                            families,
                            names,
                            includeLoopback,
                            asnProvider,
                            policy,
                            new RunStart(0, Instant.now(), history))
                    .status();
        }
        return repeat(serverList, port, families, names, includeLoopback, asnProvider, policy, history);
    }

    /**
     * {@code --every}: runs until SIGTERM or Ctrl-C, on {@link RepeatSchedule}'s jittered
     * schedule. A run that learns nothing, or breaks, is counted in the textfile and the loop goes
     * on; only a usage error in the first run ends it (a wrong {@code -i} does not heal).
     */
    private int repeat(
            List<ServerSpec> serverList,
            int port,
            Set<Family> families,
            Set<String> names,
            boolean includeLoopback,
            Optional<AsnProvider> asnProvider,
            ClassifyPolicy policy,
            RunHistory history) {
        RepeatSchedule schedule = new RepeatSchedule(every);
        worker = Thread.currentThread();
        try {
            for (long run = 1; !interruptRequested.get() && !terminateRequested; run++) {
                long startNanos = System.nanoTime();
                RunStart start = new RunStart(run, Instant.now(), history);
                try {
                    history = runOnce(serverList, port, families, names, includeLoopback, asnProvider, policy, start)
                            .history();
                } catch (ParameterException e) {
                    if (run == 1) {
                        throw e;
                    }
                    history = failedRun(start, e.getMessage(), e);
                } catch (IOException | RuntimeException e) {
                    history = failedRun(start, e.getMessage() == null ? e.toString() : e.getMessage(), e);
                } catch (InterruptedException e) {
                    break;
                }
                if (interruptRequested.get() || terminateRequested) {
                    break;
                }
                long wait = schedule.gapAfter(run, random).toNanos() - (System.nanoTime() - startNanos);
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        break;
                    }
                }
            }
        } finally {
            worker = null;
            Thread.interrupted(); // an interrupt that came too late to matter
        }
        notice(terminateRequested ? "stopped by SIGTERM" : "stopped by Ctrl-C");
        return terminateRequested ? 0 : EXIT_INTERRUPTED;
    }

    /**
     * A run of {@code --every} that broke: one line on stderr (the stack trace with -v), and the
     * textfile rewritten with no probe and the failure counted, so the fleet sees it.
     */
    private RunHistory failedRun(RunStart start, String reason, Exception e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(UntrustedText.printable("natcheck: run " + start.number() + " failed: " + reason));
        if (verbose.length > 0) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            err.print(trace);
        }
        err.flush();
        Report nothing = new Report(List.of(), Instant.now(), ManifestVersion.version(Natcheck.class));
        writeTextfile(nothing, start);
        return start.history().after(nothing);
    }

    /**
     * {@code --prometheus-file}, atomically; false (and one line on stderr) when writing failed.
     * Nothing to do without the option.
     */
    private boolean writeTextfile(Report report, RunStart start) {
        if (prometheusFile == null) {
            return true;
        }
        StringWriter text = new StringWriter();
        new PrometheusReport(start.history(), Optional.of(start.at())).write(report, new PrintWriter(text));
        try {
            AtomicFile.write(prometheusFile, text.toString());
            return true;
        } catch (IOException e) {
            // Checked before probing; this is a race or a full disk. Not an internal error.
            PrintWriter err = spec.commandLine().getErr();
            err.println(UntrustedText.printable(
                    "natcheck: cannot write --prometheus-file " + prometheusFile + ": " + AtomicFile.reason(e)));
            err.flush();
            return false;
        }
    }

    private RunResult runOnce(
            List<ServerSpec> serverList,
            int port,
            Set<Family> families,
            Set<String> names,
            boolean includeLoopback,
            Optional<AsnProvider> asnProvider,
            ClassifyPolicy policy,
            RunStart start)
            throws InterruptedException, IOException {
        List<InterfaceInfo> nics = environment.listInterfaces();
        InterfaceSelection.Selected selected = Environment.selectInterfaces(
                nics, new InterfaceSelection.Request(names, families, includeLoopback), spec.commandLine());
        if (selected.targets().isEmpty()) {
            notice("no interface to probe (up, not loopback, with a usable "
                    + families.stream().map(Family::wireName).collect(Collectors.joining("/")) + " address); "
                    + "skipped: " + String.join("; ", selected.skipped()) + ". Try --local.");
        }
        // --every's loop holds the worker for all its runs, so that Ctrl-C also ends its waits.
        boolean ownsWorker = start.number() == 0;
        if (ownsWorker) {
            worker = Thread.currentThread();
        }
        try (Progress progress = new Progress(
                spec.commandLine().getErr(),
                !quiet && stderrIsTerminal.getAsBoolean(),
                timeout.plus(lifetime == null ? Duration.ZERO : lifetime))) {
            progress.phase("probing");
            return probeAndReport(serverList, port, nics, selected, asnProvider, policy, progress, start);
        } finally {
            if (ownsWorker) {
                worker = null;
            }
            Thread.interrupted(); // an interrupt that came too late to matter
        }
    }

    private RunResult probeAndReport(
            List<ServerSpec> serverList,
            int port,
            List<InterfaceInfo> nics,
            InterfaceSelection.Selected selected,
            Optional<AsnProvider> asnProvider,
            ClassifyPolicy policy,
            Progress progress,
            RunStart start) {
        Survey survey =
                new Survey(new ProbeStateMachine(new StunUdpStage(), new TcpEchoStage(), port), environment.resolver());
        Optional<Behaviors> behaviorTask = startBehaviors(selected.targets(), serverList);
        boolean tracing = !local && selected.targets().stream().anyMatch(Natcheck::traceable);
        if (tracing) {
            // Links the path probe's native calls while the probes run, so its budget goes to the network.
            Thread.ofPlatform().daemon().name("path-prepare").start(PathTrace::prepare);
        }
        long started = System.nanoTime();
        GatewaySurvey gateways = askGateways(selected.targets());
        Survey.Result result;
        try {
            result = survey.run(selected.targets(), serverList, timeout);
        } catch (InterruptedException e) {
            result = new Survey.Result(List.of(), List.of("interrupted before any probe finished"), List.of());
        }
        Map<ProbeTarget, FutureTask<PathTrace>> traces =
                tracing && !interruptRequested.get() ? tracePaths(result.outcomes(), started) : Map.of();
        if (lifetime != null && !interruptRequested.get()) {
            progress.known(result.outcomes().stream()
                    .map(o -> o.target().interfaceName() + " "
                            + o.target().family().wireName() + " "
                            + Classifier.classify(o.observation(), policy).verdict())
                    .collect(Collectors.joining(", ")));
            progress.phase("lifetime test");
        }
        result.unprobed().forEach(this::notice);
        if (result.outcomes().stream().anyMatch(o -> o.observation().udp() == Reply.NOT_TRIED)) {
            notice("no server name resolved, so nothing could be checked (is DNS working?): "
                    + String.join("; ", result.unresolved()));
        }
        Map<ProbeTarget, BehaviorReport> behaviors = behaviors(behaviorTask, selected.targets());
        Map<String, GatewayReport> gatewayReports = gateways.reports();
        Map<ProbeTarget, PathTrace> paths = paths(traces);
        // Waits for the gateways' PCP deletions too, so natcheck leaves no mapping behind.
        gateways.close();
        List<Report.Entry> entries = new ArrayList<>();
        for (ProbeOutcome outcome : result.outcomes()) {
            Optional<GatewayReport> gateway = outcome.target().family() == Family.IPV4
                    ? Optional.ofNullable(gatewayReports.get(outcome.target().interfaceName()))
                    : Optional.empty();
            Optional<PathTrace> trace = Optional.ofNullable(paths.get(outcome.target()));
            Optional<OutboundPath> path = trace.flatMap(Natcheck::outbound);
            Classification classification = classify(outcome, asnProvider, policy, gateway, path)
                    .withEvidence(trace.flatMap(PathTrace::note).stream().toList());
            boolean local =
                    outcome.server().map(s -> isThisHost(s.getAddress(), nics)).orElse(false);
            if (local) {
                classification = classification.withEvidence(List.of("the server "
                        + AddressText.format(outcome.server().get())
                        + " is an address of this host: the probe's traffic never left this machine, "
                        + "so this says nothing about the way to the Internet"));
            }
            entries.add(new Report.Entry(
                    outcome,
                    classification,
                    Optional.ofNullable(behaviors.get(outcome.target())).map(b -> BehaviorSurvey.alongside(outcome, b)),
                    local,
                    gateway,
                    path));
        }
        Report report = new Report(entries, Instant.now(), ManifestVersion.version(Natcheck.class));
        progress.close();
        boolean interrupted = interruptRequested.get();
        Thread.interrupted(); // printing must not be cut short by the interrupt that asked for it
        PrintWriter out = spec.commandLine().getOut();
        if (!(interrupted && entries.isEmpty() && output == OutputFormat.TEXT)) {
            if (output == OutputFormat.TEXT && start.number() > 0) {
                // --every: each report under a line saying which run and when.
                out.println((start.number() > 1 ? System.lineSeparator() : "") + "Run " + start.number() + ", "
                        + start.at().truncatedTo(ChronoUnit.SECONDS) + ":");
            }
            ReportWriter writer = output == OutputFormat.PROMETHEUS
                    ? new PrometheusReport(start.history(), Optional.of(start.at()))
                    : output.writer(verbose.length > 0);
            writer.write(report, out);
        }
        if (interrupted) {
            // A partial run is no measurement for a monitor: the previous --prometheus-file stays.
            notice("interrupted: printed what was known"
                    + (prometheusFile == null ? "" : "; " + prometheusFile + " left as it was"));
            return new RunResult(EXIT_INTERRUPTED, start.history());
        }
        RunHistory history = start.history().after(report);
        if (!writeTextfile(report, start) && every == null) {
            return new RunResult(EXIT_USAGE, history);
        }
        int status = report.exitCode();
        boolean allUnresolved = entries.stream().allMatch(e -> e.verdict() == Verdict.UNRESOLVED);
        if (status == 1 && !entries.isEmpty() && !allUnresolved) {
            boolean silence = entries.stream().allMatch(e -> e.verdict() == Verdict.BLOCKED);
            notice((silence ? "nothing answered on any interface" : "no interface learned its outside address")
                    + " within " + timeout.toMillis() + " ms; servers tried: "
                    + serverList.stream().map(ServerSpec::toString).collect(Collectors.joining(", "))
                    + " (TCP fallback on port " + port + ")");
        }
        return new RunResult(status, history);
    }

    /**
     * {@code --behavior}: starts the RFC 5780 discovery for every target, alongside the probes
     * (its own sockets, so neither disturbs the other); empty without the option.
     */
    /** The behaviour tests running beside the probes, and the thread to interrupt for Ctrl-C. */
    private record Behaviors(FutureTask<List<Optional<BehaviorReport>>> task, Thread thread) {}

    private Optional<Behaviors> startBehaviors(List<ProbeTarget> targets, List<ServerSpec> serverList) {
        if (!behavior && lifetime == null) {
            return Optional.empty();
        }
        // One deadline with the probes: name resolution and the tests all end by --timeout, so
        // --behavior makes a run no longer (the lifetime test, after them, is its own time).
        Deadline deadline = Deadline.after(timeout);
        FutureTask<List<Optional<BehaviorReport>>> task = new FutureTask<>(() -> {
            ServerDirectory directory =
                    ServerDirectory.resolve(serverList, environment.resolver(), deadline.fraction(0.3));
            BehaviorSurvey survey =
                    new BehaviorSurvey(new BehaviorDiscovery(new Pacer()), Optional.ofNullable(lifetime));
            return survey.run(targets, directory, Duration.ofNanos(Math.max(0, deadline.remainingNanos())));
        });
        Thread thread = Thread.ofPlatform().daemon().name("behavior").start(task);
        return Optional.of(new Behaviors(task, thread));
    }

    /**
     * The findings per target; empty without the option. Interrupted (Ctrl-C), it interrupts the
     * tests in turn and takes what they hand in.
     */
    private Map<ProbeTarget, BehaviorReport> behaviors(Optional<Behaviors> running, List<ProbeTarget> targets) {
        Map<ProbeTarget, BehaviorReport> byTarget = new HashMap<>();
        if (running.isEmpty()) {
            return byTarget;
        }
        List<Optional<BehaviorReport>> reports;
        try {
            if (interruptRequested.get()) {
                throw new InterruptedException();
            }
            reports = running.get().task().get();
        } catch (InterruptedException e) {
            running.get().thread().interrupt();
            try {
                reports = running.get().task().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException again) {
                return byTarget;
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("behaviour discovery failed: " + e.getCause(), e.getCause());
        }
        for (int i = 0; i < targets.size(); i++) {
            int index = i;
            reports.get(i).ifPresent(report -> byTarget.put(targets.get(index), report));
        }
        return byTarget;
    }

    /**
     * Asks the default gateway of every IPv4 target at once, beside the survey; nothing with
     * {@code --no-gateway} or {@code --local} (loopback has no default route), nor for overlays,
     * whose gateway is the overlay's, not the access network's.
     */
    private GatewaySurvey askGateways(List<ProbeTarget> targets) {
        if (noGateway || local) {
            return GatewaySurvey.none();
        }
        Environment.Gateways gateways = environment.gateways();
        Map<String, GatewayEndpoint> endpoints = gateways.byInterface();
        List<GatewaySurvey.Ask> asks = new ArrayList<>();
        for (ProbeTarget target : targets) {
            GatewayEndpoint endpoint = endpoints.get(target.interfaceName());
            if (target.family() == Family.IPV4 && endpoint != null && !target.overlay()) {
                asks.add(new GatewaySurvey.Ask(endpoint, target.address()));
            }
        }
        return GatewaySurvey.start(asks, gateways.budget(), timeout);
    }

    /** Whether the path probe can say anything about {@code target}: IPv4, not loopback, not an overlay. */
    private static boolean traceable(ProbeTarget target) {
        return target.family() == Family.IPV4 && !target.loopback() && !target.overlay();
    }

    /**
     * Traces the path of every IPv4 probe that learned its outside address, all at once, toward the
     * server that answered and toward the mapped address; each within the path budget, never past
     * {@code --timeout}.
     */
    private Map<ProbeTarget, FutureTask<PathTrace>> tracePaths(List<ProbeOutcome> outcomes, long started) {
        Map<ProbeTarget, FutureTask<PathTrace>> traces = new HashMap<>();
        Duration left = timeout.minusNanos(System.nanoTime() - started);
        Duration budget = left.compareTo(Budgets.path()) < 0 ? left : Budgets.path();
        for (ProbeOutcome outcome : outcomes) {
            if (!traceable(outcome.target())
                    || outcome.server().isEmpty()
                    || outcome.mapped().isEmpty()) {
                continue;
            }
            FutureTask<PathTrace> task = new FutureTask<>(() -> PathTrace.trace(
                    outcome.target().address(),
                    outcome.server().get(),
                    outcome.mapped().get(),
                    budget));
            Thread.ofPlatform().daemon().name("path").start(task);
            traces.put(outcome.target(), task);
        }
        return traces;
    }

    /**
     * The finished traces; each ends within its budget, so this waits no longer than that. An
     * interrupt (Ctrl-C) ends the wait with what is there.
     */
    private static Map<ProbeTarget, PathTrace> paths(Map<ProbeTarget, FutureTask<PathTrace>> traces) {
        Map<ProbeTarget, PathTrace> paths = new HashMap<>();
        for (Map.Entry<ProbeTarget, FutureTask<PathTrace>> entry : traces.entrySet()) {
            try {
                paths.put(entry.getKey(), entry.getValue().get());
            } catch (ExecutionException e) {
                throw new IllegalStateException("path probe failed: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return paths;
    }

    /**
     * The classifier's view of a trace: the routers that answered, each with its TTL, and the hop
     * at which the mapped address answered; nothing when the trace was skipped.
     */
    static Optional<OutboundPath> outbound(PathTrace trace) {
        if (trace.status() == PathTrace.Status.SKIPPED) {
            return Optional.empty();
        }
        List<OutboundPath.Hop> hops = new ArrayList<>();
        for (var hop : trace.hops()) {
            hop.address().ifPresent(address -> hops.add(new OutboundPath.Hop(hop.ttl(), address)));
        }
        return Optional.of(new OutboundPath(hops, trace.outermostNatDistance()));
    }

    /** Whether {@code address} belongs to this host: loopback, or an address of any of its interfaces. */
    static boolean isThisHost(InetAddress address, List<InterfaceInfo> nics) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return true;
        }
        return nics.stream().anyMatch(nic -> nic.addresses().contains(address));
    }

    private static Classification classify(
            ProbeOutcome outcome,
            Optional<AsnProvider> asnProvider,
            ClassifyPolicy policy,
            Optional<GatewayReport> gateway,
            Optional<OutboundPath> path) {
        Observation observation = outcome.observation().withPath(path);
        List<String> asnNotes = new ArrayList<>();
        if (gateway.isPresent()) {
            observation = observation.withGatewayExternal(gateway.get().external());
            asnNotes.addAll(gateway.get().evidence());
        }
        if (asnProvider.isPresent()
                && outcome.mapped().isPresent()
                && AddressScope.of(outcome.mapped().get().getAddress()) == AddressScope.PUBLIC) {
            var address = outcome.mapped().get().getAddress();
            try {
                Optional<AsnRecord> record = asnProvider.get().lookup(address);
                observation = observation.withOutsideAsn(record);
                if (record.isEmpty()) {
                    asnNotes.add("outside address " + AddressText.format(address) + " is unknown to "
                            + asnProvider.get().describe());
                }
            } catch (AsnLookupException e) {
                asnNotes.add("ASN lookup of " + AddressText.format(address) + " failed: " + e.getMessage());
            }
        }
        return Classifier.classify(observation, policy).withEvidence(asnNotes);
    }
}
