package dev.natcheck.probe;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The server list resolved once for the whole run, then handed out per family (A records for
 * IPv4 probes, AAAA for IPv6). A name that does not resolve, or not in time, becomes a note,
 * never an error: the other servers still get probed.
 */
public final class ServerDirectory {

    private sealed interface Lookup {}

    private record Found(List<InetAddress> addresses) implements Lookup {}

    private record Failed(String reason) implements Lookup {}

    private final Map<ServerSpec, Lookup> lookups;

    private ServerDirectory(Map<ServerSpec, Lookup> lookups) {
        this.lookups = lookups;
    }

    /** Resolves every name in parallel; whatever has not answered by {@code deadline} counts as failed. */
    public static ServerDirectory resolve(List<ServerSpec> specs, NameResolver resolver, Deadline deadline)
            throws InterruptedException {
        Map<ServerSpec, Lookup> lookups = new LinkedHashMap<>();
        Map<ServerSpec, Future<List<InetAddress>>> pending = new LinkedHashMap<>();
        // Not closed with try-with-resources: close() would wait for a resolver stuck past the deadline.
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (ServerSpec spec : specs) {
                if (lookups.containsKey(spec) || pending.containsKey(spec)) {
                    continue;
                }
                var literal = spec.literal();
                if (literal.isPresent()) {
                    lookups.put(spec, new Found(List.of(literal.get())));
                } else {
                    lookups.put(spec, null);
                    pending.put(spec, executor.submit(() -> resolver.resolve(spec.host())));
                }
            }
            for (var entry : pending.entrySet()) {
                lookups.put(entry.getKey(), await(entry.getValue(), deadline));
            }
        } finally {
            executor.shutdownNow();
        }
        return new ServerDirectory(lookups);
    }

    private static Lookup await(Future<List<InetAddress>> future, Deadline deadline) throws InterruptedException {
        try {
            List<InetAddress> addresses = future.get(deadline.remainingNanos(), TimeUnit.NANOSECONDS);
            return addresses.isEmpty() ? new Failed("does not resolve") : new Found(List.copyOf(addresses));
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Failed("did not resolve in time");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return new Failed(
                    cause instanceof UnknownHostException ? "does not resolve" : "does not resolve (" + cause + ")");
        }
    }

    /** Every server with an address of {@code family}: the first such address of each, in the user's order. */
    public List<ResolvedServer> servers(Family family) {
        List<ResolvedServer> servers = new ArrayList<>();
        lookups.forEach((spec, lookup) -> {
            if (lookup instanceof Found found) {
                found.addresses().stream()
                        .filter(family::contains)
                        .findFirst()
                        .ifPresent(a -> servers.add(new ResolvedServer(spec, new InetSocketAddress(a, spec.port()))));
            }
        });
        return servers;
    }

    /** Why servers are missing from {@link #servers(Family)}: names that failed, names without this family. */
    public List<String> notes(Family family) {
        List<String> notes = new ArrayList<>();
        lookups.forEach((spec, lookup) -> {
            if (lookup instanceof Failed failed) {
                notes.add("server " + spec + ": " + failed.reason());
            } else if (lookup instanceof Found found
                    && spec.literal().isEmpty()
                    && found.addresses().stream().noneMatch(family::contains)) {
                // Only names: an IPv6 literal obviously has no IPv4 address, saying so is noise.
                notes.add(
                        "server " + spec + ": no " + (family == Family.IPV4 ? "IPv4 (A)" : "IPv6 (AAAA)") + " address");
            }
        });
        return notes;
    }

    /** The servers whose names did not resolve (or not in time), each with why: "stun.example.org:3478: does not resolve". */
    public List<String> unresolved() {
        List<String> failures = new ArrayList<>();
        lookups.forEach((spec, lookup) -> {
            if (lookup instanceof Failed failed) {
                failures.add(spec + ": " + failed.reason());
            }
        });
        return failures;
    }

    /** Every server spec, in order, for "servers tried" messages. */
    public List<ServerSpec> specs() {
        return List.copyOf(lookups.keySet());
    }
}
