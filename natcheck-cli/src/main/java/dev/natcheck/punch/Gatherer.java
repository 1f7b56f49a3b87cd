package dev.natcheck.punch;

import dev.natcheck.address.AddressText;
import dev.natcheck.behavior.BehaviorDiscovery;
import dev.natcheck.behavior.BehaviorReport;
import dev.natcheck.behavior.EndpointDependence;
import dev.natcheck.probe.Deadline;
import dev.natcheck.probe.Family;
import dev.natcheck.transaction.Endpoint;
import dev.natcheck.transaction.Request;
import dev.natcheck.transaction.Response;
import dev.natcheck.transaction.Schedule;
import dev.natcheck.transaction.Transaction;
import dev.natcheck.transaction.TransactionLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * This side's candidates and NAT profile, before the token is written.
 *
 * <ol>
 * <li>The quick behaviour discovery (RFC 5780, {@link BehaviorDiscovery}) from the first
 *     socket's address, on sockets of its own: mapping and filtering.
 * <li>From each punch socket itself, one Binding request after the other to up to four
 *     destinations: the server, then the server's OTHER-ADDRESS combinations (or the other
 *     servers). The first answer is the server-reflexive candidate; the mapped ports, in the
 *     order the mappings were made, are the {@link PortPattern}; a symmetric NAT that counts gets
 *     its next ports predicted after the last of them.
 * </ol>
 * The discovery runs first because its sockets make mappings too: on a NAT that counts, any
 * mapping made after the punch socket's last one would shift the prediction. It may take 60 % of
 * the time given, the bindings then get half of it afresh, so the whole takes at most 110 %.
 */
public final class Gatherer {

    /** Destinations each punch socket asks for its mapping. */
    static final int BINDINGS_PER_SOCKET = 4;

    /**
     * What gathering found.
     *
     * @param candidates host, server-reflexive and predicted candidates, the most useful first
     * @param behaviour the RFC 5780 report the profile's mapping and filtering come from
     * @param mappedPorts per socket, the mapped ports in the order they were made
     * @param notes what happened, for -v
     */
    public record Gathered(
            NatProfile profile,
            List<Candidate> candidates,
            Optional<BehaviorReport> behaviour,
            Map<InetSocketAddress, List<Integer>> mappedPorts,
            List<String> notes) {
        public Gathered {
            Objects.requireNonNull(profile, "profile");
            candidates = List.copyOf(candidates);
            Objects.requireNonNull(behaviour, "behaviour");
            mappedPorts = Map.copyOf(mappedPorts);
            notes = List.copyOf(notes);
        }
    }

    private Gatherer() {}

    /**
     * Gathers for {@code endpoints} (the first one's family sets the profile) against
     * {@code servers} (resolved, either family), within {@code timeout}.
     */
    public static Gathered gather(
            TransactionLoop loop,
            List<Endpoint> endpoints,
            List<InetSocketAddress> servers,
            BehaviorDiscovery discovery,
            Duration timeout)
            throws IOException, InterruptedException {
        List<String> notes = new ArrayList<>();
        Optional<BehaviorReport> behaviour = Optional.empty();
        if (!endpoints.isEmpty()) {
            Endpoint first = endpoints.getFirst();
            behaviour = Optional.of(discovery.discover(
                    first.local().getAddress(),
                    servers,
                    Deadline.after(timeout.multipliedBy(6).dividedBy(10))));
            notes.addAll(behaviour.get().notes());
        }
        // The bindings get a budget of their own: a slow discovery must not leave them none.
        Deadline deadline = Deadline.after(timeout.dividedBy(2));
        Map<Endpoint, List<Response>> answers = new LinkedHashMap<>();
        for (Endpoint endpoint : endpoints) {
            answers.put(endpoint, new ArrayList<>());
            List<InetSocketAddress> own = servers.stream()
                    .filter(s -> Family.of(endpoint.local().getAddress()).contains(s.getAddress()))
                    .toList();
            if (!own.isEmpty()) {
                loop.submit(binding(endpoint, own.getFirst(), deadline));
            }
        }
        loop.run(deadline.nanos(), t -> next(loop, t, answers, servers, deadline, notes));
        Map<InetSocketAddress, List<Integer>> mappedPorts = new LinkedHashMap<>();
        answers.forEach((endpoint, list) -> mappedPorts.put(
                endpoint.local(),
                list.stream().map(r -> r.mapped().orElseThrow().getPort()).toList()));
        NatProfile profile = profile(endpoints, answers, behaviour);
        return new Gathered(profile, candidates(answers, profile), behaviour, mappedPorts, notes);
    }

    private static Transaction binding(Endpoint endpoint, InetSocketAddress server, Deadline deadline) {
        Duration budget = Duration.ofNanos(Math.max(1, deadline.remainingNanos()));
        return Transaction.of("binding", endpoint, server, Request.binding(), Schedule.forBudget(budget.dividedBy(2)));
    }

    /** After each answer, the socket's next destination; after silence, nothing more from it. */
    private static void next(
            TransactionLoop loop,
            Transaction done,
            Map<Endpoint, List<Response>> answers,
            List<InetSocketAddress> servers,
            Deadline deadline,
            List<String> notes) {
        Optional<Response> answer = done.answer();
        if (answer.isEmpty() || answer.get().mapped().isEmpty()) {
            notes.add(done.label() + ": " + done.outcome());
            return;
        }
        List<Response> list = answers.get(done.endpoint());
        list.add(answer.get());
        notes.add(done.label() + ": mapped "
                + AddressText.format(answer.get().mapped().get()));
        List<InetSocketAddress> destinations = destinations(done.endpoint(), list.getFirst(), servers);
        if (list.size() < destinations.size() && !deadline.expired()) {
            loop.submit(binding(done.endpoint(), destinations.get(list.size()), deadline));
        }
    }

    /**
     * The destinations a socket asks, in order: the server first; with an OTHER-ADDRESS, the
     * three other combinations of address and port (as RFC 5780's mapping test does), else the
     * other servers of the family.
     */
    static List<InetSocketAddress> destinations(
            Endpoint endpoint, Response firstAnswer, List<InetSocketAddress> servers) {
        Family family = Family.of(endpoint.local().getAddress());
        List<InetSocketAddress> own =
                servers.stream().filter(s -> family.contains(s.getAddress())).toList();
        InetSocketAddress primary = own.getFirst();
        List<InetSocketAddress> list = new ArrayList<>(List.of(primary));
        Optional<InetSocketAddress> other = firstAnswer
                .other()
                .filter(o -> family.contains(o.getAddress()))
                .filter(o -> !o.getAddress().equals(primary.getAddress()) && o.getPort() != primary.getPort());
        if (other.isPresent()) {
            list.add(new InetSocketAddress(other.get().getAddress(), primary.getPort()));
            list.add(other.get());
            list.add(new InetSocketAddress(primary.getAddress(), other.get().getPort()));
        } else {
            own.stream().skip(1).distinct().forEach(list::add);
        }
        return list.subList(0, Math.min(BINDINGS_PER_SOCKET, list.size()));
    }

    /** The profile of the first socket: what the behaviour tests found, and the ports its own bindings got. */
    static NatProfile profile(
            List<Endpoint> endpoints, Map<Endpoint, List<Response>> answers, Optional<BehaviorReport> behaviour) {
        if (endpoints.isEmpty()) {
            return NatProfile.udpBlocked();
        }
        Endpoint first = endpoints.getFirst();
        List<Response> own = answers.getOrDefault(first, List.of());
        boolean discovered = behaviour.flatMap(BehaviorReport::mapped).isPresent();
        if (own.isEmpty() && !discovered) {
            return NatProfile.udpBlocked();
        }
        Optional<Boolean> translated = own.isEmpty()
                ? behaviour.flatMap(BehaviorReport::translated)
                : Optional.of(!own.getFirst()
                        .mapped()
                        .orElseThrow()
                        .getAddress()
                        .equals(first.local().getAddress()));
        PortPattern ports = PortPattern.observe(
                own.stream().map(r -> r.mapped().orElseThrow().getPort()).toList());
        Optional<EndpointDependence> mapping =
                behaviour.flatMap(b -> b.mapping().value());
        if (mapping.isEmpty() && own.size() >= 2) {
            // No RFC 5780 server: the punch socket's own bindings to several destinations still tell
            // whether one mapping serves them all; a changing one is taken as the stricter kind.
            mapping = Optional.of(
                    ports.allocation() == PortAllocation.REUSED
                            ? EndpointDependence.ENDPOINT_INDEPENDENT
                            : EndpointDependence.ADDRESS_AND_PORT_DEPENDENT);
        }
        Optional<EndpointDependence> filtering =
                behaviour.flatMap(b -> b.filtering().value());
        return new NatProfile(true, translated, mapping, filtering, ports);
    }

    /**
     * Per socket: the server-reflexive candidate when translated, the predicted next ports of a
     * symmetric NAT that counts, the host candidate; IPv4 sockets first as the caller ordered them.
     */
    static List<Candidate> candidates(Map<Endpoint, List<Response>> answers, NatProfile profile) {
        List<Candidate> candidates = new ArrayList<>();
        answers.forEach((endpoint, list) -> {
            InetSocketAddress host = endpoint.local();
            if (!list.isEmpty()) {
                InetSocketAddress mapped = list.getFirst().mapped().orElseThrow();
                if (!mapped.equals(host)) {
                    candidates.add(new Candidate(CandidateType.SERVER_REFLEXIVE, mapped));
                }
                int last = list.getLast().mapped().orElseThrow().getPort();
                PortPattern ports = PortPattern.observe(list.stream()
                        .map(r -> r.mapped().orElseThrow().getPort())
                        .toList());
                if (profile.mappingDependent() && ports.allocation() == PortAllocation.SEQUENTIAL) {
                    for (int port : ports.predictAfter(last, PortPredictionBudget.SEQUENTIAL_PORTS)) {
                        candidates.add(new Candidate(
                                CandidateType.PREDICTED, new InetSocketAddress(mapped.getAddress(), port)));
                    }
                }
            }
            candidates.add(new Candidate(CandidateType.HOST, host));
        });
        return candidates;
    }
}
