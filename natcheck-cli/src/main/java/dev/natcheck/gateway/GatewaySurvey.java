package dev.natcheck.gateway;

import dev.natcheck.address.AddressText;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks every gateway at once, every protocol at once, beside the STUN probes, in one shared
 * budget: at least {@link #BUDGET}, and as long as the probes themselves take (a gateway on the LAN
 * is never given less time than a server across the Internet), but never past the run's timeout.
 * Closing it waits until every conversation has ended, PCP deletions included, so natcheck never
 * exits with a mapping left on a gateway.
 */
public final class GatewaySurvey implements AutoCloseable {

    /** The budget: a LAN gateway answers within milliseconds; silence should cost little. */
    public static final Duration BUDGET = Duration.ofMillis(250);
    /** How long after the budget {@link #close} still waits for clean-up (PCP deletion). */
    static final Duration CLEANUP_GRACE = Duration.ofMillis(PortControl.DELETE_WAIT_MILLIS + 100);

    /** A gateway to ask, from which local address (the probe's, on the gateway's interface). */
    public record Ask(GatewayEndpoint endpoint, InetAddress local) {
        public Ask {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(local, "local");
        }
    }

    private final Budget budget;
    private final long minimumEndNanos;
    private final ExecutorService executor;
    /** The HTTP client for UPnP, started at once in the background (see {@link #start}). */
    private final CompletableFuture<HttpClient> http = new CompletableFuture<>();

    private final Map<String, List<Future<GatewayAnswer>>> pending = new LinkedHashMap<>();
    private final Map<String, GatewayEndpoint> endpoints = new LinkedHashMap<>();

    private GatewaySurvey(Duration minimum, Duration maximum) {
        long now = System.nanoTime();
        this.budget = Budget.after(maximum);
        this.minimumEndNanos = now + Math.min(minimum.toNanos(), maximum.toNanos());
        // Platform threads: see Survey on virtual threads blocking in Selector.select.
        this.executor = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().daemon().name("gateway").factory());
    }

    /**
     * Starts asking. The gateways get at least {@code minimum}, at most {@code maximum}; in between,
     * until {@link #reports} is called (when the probes are done).
     */
    public static GatewaySurvey start(List<Ask> asks, Duration minimum, Duration maximum) {
        GatewaySurvey survey = new GatewaySurvey(minimum, maximum);
        for (Ask ask : asks) {
            GatewayEndpoint endpoint = ask.endpoint();
            InetSocketAddress portControl = new InetSocketAddress(endpoint.address(), endpoint.portControlPort());
            List<Future<GatewayAnswer>> futures = new ArrayList<>();
            futures.add(survey.executor.submit(() -> PortControl.ask(ask.local(), portControl, survey.budget)));
            futures.add(survey.executor.submit(
                    () -> new UpnpIgdClient(survey.http).ask(ask.local(), endpoint, survey.budget)));
            survey.pending.put(endpoint.interfaceName(), futures);
            survey.endpoints.put(endpoint.interfaceName(), endpoint);
        }
        if (!asks.isEmpty()) {
            // java.net.http and StAX take a few hundred milliseconds of CPU to start in a fresh JVM,
            // more than the budget: they start now, while SSDP waits for the gateway (50 ms or more).
            Thread.ofPlatform().daemon().name("upnp-warm-up").start(() -> {
                try {
                    survey.http.complete(UpnpIgdClient.newHttpClient());
                } catch (RuntimeException | Error e) {
                    survey.http.completeExceptionally(e);
                }
                UpnpXml.warmUp();
            });
        }
        return survey;
    }

    /** A survey that asks nothing ({@code --no-gateway}, {@code --local}, no default route). */
    public static GatewaySurvey none() {
        return start(List.of(), Duration.ZERO, Duration.ZERO);
    }

    /**
     * What each gateway said, by interface name. Called when the probes are done: from now on the
     * gateways get only what is left of the minimum budget. An interrupt (Ctrl-C) ends the wait:
     * what has not come yet is reported as no answer.
     */
    public Map<String, GatewayReport> reports() {
        budget.cutTo(Math.max(System.nanoTime(), minimumEndNanos));
        long waitUntil = budget.deadlineNanos() + CLEANUP_GRACE.toNanos();
        Map<String, GatewayReport> reports = new LinkedHashMap<>();
        for (Map.Entry<String, List<Future<GatewayAnswer>>> entry : pending.entrySet()) {
            GatewayEndpoint endpoint = endpoints.get(entry.getKey());
            List<GatewayAnswer> answers = new ArrayList<>();
            for (int i = 0; i < entry.getValue().size(); i++) {
                answers.add(
                        result(entry.getValue().get(i), i == 0 ? Protocol.PCP : Protocol.UPNP, endpoint, waitUntil));
            }
            reports.put(entry.getKey(), new GatewayReport(endpoint, answers));
        }
        return reports;
    }

    private static GatewayAnswer result(
            Future<GatewayAnswer> future, Protocol protocol, GatewayEndpoint endpoint, long waitUntil) {
        InetSocketAddress server = new InetSocketAddress(
                endpoint.address(), protocol == Protocol.UPNP ? endpoint.ssdpPort() : endpoint.portControlPort());
        String label = protocol.label() + " gateway " + AddressText.format(server);
        try {
            return future.get(Math.max(0, waitUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new GatewayAnswer(
                    protocol,
                    server,
                    Optional.empty(),
                    GatewayAnswer.NO_ANSWER,
                    label + ": no answer within the budget");
        } catch (ExecutionException e) {
            return new GatewayAnswer(
                    protocol,
                    server,
                    Optional.empty(),
                    GatewayAnswer.FAILED,
                    label + ": failed (" + e.getCause() + ")");
        } catch (InterruptedException e) {
            // The conversation goes on to its end (a PCP deletion included); close() waits for it.
            Thread.currentThread().interrupt();
            return new GatewayAnswer(
                    protocol, server, Optional.empty(), GatewayAnswer.NO_ANSWER, label + ": interrupted");
        }
    }

    /**
     * Ends the budget now (unless {@link #reports} already did), waits for every conversation to
     * end, PCP deletions included, also when interrupted (Ctrl-C), then frees the HTTP client.
     */
    @Override
    public void close() {
        budget.cutTo(System.nanoTime());
        executor.shutdown();
        long waitUntil = budget.deadlineNanos() + CLEANUP_GRACE.toNanos();
        boolean interrupted = false;
        while (!executor.isTerminated() && System.nanoTime() < waitUntil) {
            try {
                executor.awaitTermination(Math.max(1, waitUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (!executor.isTerminated()) {
            executor.shutdownNow();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        // A client still starting is shut down once it is there.
        http.thenAccept(HttpClient::shutdownNow);
    }
}
