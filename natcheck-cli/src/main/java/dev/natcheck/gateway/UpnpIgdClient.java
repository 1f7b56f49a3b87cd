package dev.natcheck.gateway;

import dev.natcheck.address.AddressText;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * UPnP IGD: the SSDP search, the device description over HTTP, then {@code GetExternalIPAddress}
 * over SOAP. Every step runs inside the caller's deadline and reads at most a few kilobytes; a
 * device that answers slowly, hugely or in garbage is reported as such.
 */
final class UpnpIgdClient {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UpnpIgdClient.class);

    /** Largest device description read (real ones are 2 to 20 KiB). */
    static final int MAX_DESCRIPTION = 64 * 1024;
    /** Largest SOAP answer read (a real one is under 1 KiB). */
    static final int MAX_SOAP = 16 * 1024;

    private final CompletableFuture<HttpClient> http;

    /**
     * A client whose HTTP client is still starting: java.net.http takes a few hundred milliseconds
     * of CPU to start in a fresh JVM (seconds on a loaded machine), so it starts beside the SSDP
     * search, and a request waits for it only within the budget.
     */
    UpnpIgdClient(CompletableFuture<HttpClient> http) {
        this.http = http;
    }

    UpnpIgdClient(HttpClient http) {
        this(CompletableFuture.completedFuture(http));
    }

    /** An HTTP client for gateways: HTTP/1.1, no proxy, no redirects, a daemon executor. */
    static HttpClient newHttpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .proxy(HttpClient.Builder.NO_PROXY)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(java.util.concurrent.Executors.newThreadPerTaskExecutor(
                        Thread.ofPlatform().daemon().name("upnp-http").factory()))
                .build();
    }

    GatewayAnswer ask(InetAddress local, GatewayEndpoint gateway, Budget deadline) {
        InetSocketAddress ssdp = new InetSocketAddress(gateway.address(), gateway.ssdpPort());
        String label = "UPnP IGD gateway " + AddressText.format(gateway.address());
        SsdpSearch.Outcome search;
        try {
            search = SsdpSearch.search(local, gateway, deadline);
        } catch (IOException e) {
            return answer(
                    ssdp,
                    Optional.empty(),
                    GatewayAnswer.FAILED,
                    label + ": could not search (" + e.getMessage() + ")");
        }
        if (search.location().isEmpty()) {
            return answer(
                    ssdp,
                    Optional.empty(),
                    GatewayAnswer.NO_ANSWER,
                    label + ": " + search.why()
                            + (search.ignored().isEmpty()
                                    ? ""
                                    : " (ignored: " + search.ignored().getFirst() + ")"));
        }
        URI location = search.location().get();
        LOG.debug("UPnP: {} answered SSDP, description at {}", AddressText.format(gateway.address()), location);
        InetSocketAddress server = new InetSocketAddress(gateway.address(), port(location));
        Fetched description = fetch(HttpRequest.newBuilder(location).GET(), MAX_DESCRIPTION, deadline);
        if (description.failure().isPresent()) {
            return answer(
                    server,
                    Optional.empty(),
                    description.result(),
                    label + ": description " + location + " "
                            + description.failure().get());
        }
        LOG.debug("UPnP: description from {}: {} bytes", location, description.body().length);
        UpnpXml.Description parsed;
        try {
            parsed = UpnpXml.description(description.body());
        } catch (MalformedAnswerException e) {
            return answer(server, Optional.empty(), GatewayAnswer.MALFORMED, label + ": " + e.getMessage());
        }
        if (parsed.wanService().isEmpty()) {
            return answer(
                    server,
                    Optional.empty(),
                    GatewayAnswer.MALFORMED,
                    label + ": the description at " + location + " has no WAN connection service");
        }
        UpnpXml.WanService service = parsed.wanService().get();
        URI control;
        try {
            URI base =
                    parsed.urlBase().filter(b -> !b.isEmpty()).map(URI::create).orElse(location);
            control = base.resolve(service.controlUrl());
        } catch (IllegalArgumentException e) {
            return answer(server, Optional.empty(), GatewayAnswer.MALFORMED, label + ": unreadable control URL");
        }
        if (!"http".equalsIgnoreCase(control.getScheme()) || !SsdpSearch.sameHost(control, gateway.address())) {
            return answer(
                    server,
                    Optional.empty(),
                    GatewayAnswer.MALFORMED,
                    label + ": the control URL " + control + " is not http:// on the gateway itself");
        }
        server = new InetSocketAddress(gateway.address(), port(control));
        String soapAction = "\"" + service.serviceType() + "#GetExternalIPAddress\"";
        String envelope = "<?xml version=\"1.0\"?>\r\n"
                + "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\""
                + " s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">"
                + "<s:Body><u:GetExternalIPAddress xmlns:u=\"" + service.serviceType() + "\"/></s:Body>"
                + "</s:Envelope>\r\n";
        Fetched soap = fetch(
                HttpRequest.newBuilder(control)
                        .header("Content-Type", "text/xml; charset=\"utf-8\"")
                        .header("SOAPAction", soapAction)
                        .POST(HttpRequest.BodyPublishers.ofString(envelope, StandardCharsets.UTF_8)),
                MAX_SOAP,
                deadline);
        if (soap.failure().isPresent() && soap.body() == null) {
            return answer(
                    server,
                    Optional.empty(),
                    soap.result(),
                    label + ": GetExternalIPAddress " + soap.failure().get());
        }
        UpnpXml.SoapAnswer parsedSoap;
        try {
            parsedSoap = UpnpXml.soap(soap.body());
        } catch (MalformedAnswerException e) {
            return answer(server, Optional.empty(), GatewayAnswer.MALFORMED, label + ": " + e.getMessage());
        }
        if (parsedSoap.errorCode().isPresent()) {
            String code = parsedSoap.errorCode().get().replaceAll("[^0-9A-Za-z]", "");
            return answer(
                    server,
                    Optional.empty(),
                    "upnp-error-" + (code.isEmpty() ? "unknown" : code.length() > 8 ? code.substring(0, 8) : code),
                    label + ": GetExternalIPAddress failed with UPnP error "
                            + printable(parsedSoap.errorCode().get())
                            + parsedSoap
                                    .errorDescription()
                                    .map(d -> " (" + printable(d) + ")")
                                    .orElse(""));
        }
        if (soap.failure().isPresent()) {
            return answer(
                    server,
                    Optional.empty(),
                    soap.result(),
                    label + ": GetExternalIPAddress " + soap.failure().get());
        }
        if (parsedSoap.externalAddress().isEmpty()) {
            return answer(
                    server,
                    Optional.empty(),
                    GatewayAnswer.MALFORMED,
                    label + ": GetExternalIPAddress answered without NewExternalIPAddress");
        }
        String text = parsedSoap.externalAddress().get();
        Optional<InetAddress> external = AddressText.parseAddress(text).filter(a -> a instanceof Inet4Address);
        if (text.isEmpty() || external.map(InetAddress::isAnyLocalAddress).orElse(false)) {
            // miniupnpd 2.x answers this way when its WAN address is private, shared or reserved.
            return answer(
                    server,
                    Optional.empty(),
                    GatewayAnswer.NO_EXTERNAL_ADDRESS,
                    label
                            + ": GetExternalIPAddress named no external address (\"" + printable(text) + "\"):"
                            + " the gateway has no public address of its own; another NAT may sit beyond it");
        }
        if (external.isEmpty()) {
            return answer(
                    server,
                    Optional.empty(),
                    GatewayAnswer.MALFORMED,
                    label + ": GetExternalIPAddress answered \"" + printable(text) + "\", not an IPv4 address");
        }
        return answer(
                server,
                external,
                GatewayAnswer.OK,
                label + " reports its external address " + AddressText.format(external.get()));
    }

    private static GatewayAnswer answer(
            InetSocketAddress server, Optional<InetAddress> external, String result, String note) {
        return new GatewayAnswer(Protocol.UPNP, server, external, result, note);
    }

    /**
     * An HTTP exchange's body, or why there is none.
     *
     * @param body the body when it was read (also for an error status, which may carry a SOAP fault)
     */
    private record Fetched(byte[] body, String result, Optional<String> failure) {}

    private Fetched fetch(HttpRequest.Builder request, int limit, Budget deadline) {
        if (deadline.expired()) {
            return new Fetched(null, GatewayAnswer.NO_ANSWER, Optional.of("not asked: no time left"));
        }
        Optional<HttpClient> client = await(http, deadline);
        if (client.isEmpty()) {
            return new Fetched(
                    null,
                    GatewayAnswer.NO_ANSWER,
                    Optional.of("not asked: natcheck's HTTP client did not start within the budget (a slow machine)"));
        }
        long millis = (deadline.remainingNanos() + 999_999) / 1_000_000;
        request.timeout(Duration.ofMillis(millis)).header("User-Agent", "natcheck");
        CompletableFuture<HttpResponse<byte[]>> future =
                client.get().sendAsync(request.build(), new LimitedBody(limit));
        try {
            // Step by step: the budget may be cut while this waits.
            while (!future.isDone() && !deadline.expired()) {
                try {
                    future.get(deadline.stepMillis(Long.MAX_VALUE), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // look at the budget again
                }
            }
            if (!future.isDone()) {
                throw new TimeoutException();
            }
            HttpResponse<byte[]> response = future.get();
            if (response.statusCode() != 200) {
                return new Fetched(
                        response.body(),
                        "http-" + response.statusCode(),
                        Optional.of("answered HTTP " + response.statusCode()));
            }
            return new Fetched(response.body(), GatewayAnswer.OK, Optional.empty());
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Fetched(
                    null, GatewayAnswer.NO_ANSWER, Optional.of("did not arrive within the budget (slow device)"));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof LimitedBody.TooLargeException tooLarge) {
                return new Fetched(null, GatewayAnswer.MALFORMED, Optional.of("is " + tooLarge.getMessage()));
            }
            if (cause instanceof HttpConnectTimeoutException || cause instanceof HttpTimeoutException) {
                return new Fetched(
                        null, GatewayAnswer.NO_ANSWER, Optional.of("did not arrive within the budget (slow device)"));
            }
            if (cause instanceof java.net.ConnectException) {
                return new Fetched(null, GatewayAnswer.REFUSED, Optional.of("refused the connection"));
            }
            return new Fetched(
                    null, GatewayAnswer.MALFORMED, Optional.of("failed: " + printable(String.valueOf(cause))));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return new Fetched(null, GatewayAnswer.NO_ANSWER, Optional.of("interrupted"));
        }
    }

    /** {@code future}'s value, waiting step by step within the budget; empty when it did not come. */
    private static <T> Optional<T> await(CompletableFuture<T> future, Budget deadline) {
        while (!future.isDone() && !deadline.expired()) {
            try {
                future.get(deadline.stepMillis(Long.MAX_VALUE), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // look at the budget again, or at the failure below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return future.isDone() && !future.isCompletedExceptionally() ? Optional.of(future.join()) : Optional.empty();
    }

    private static int port(URI uri) {
        return uri.getPort() < 0 ? 80 : uri.getPort();
    }

    /** A device's text as evidence: printable ASCII only, at most 80 characters. */
    static String printable(String text) {
        String clean = text.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 80 ? clean.substring(0, 80) + "..." : clean;
    }
}
