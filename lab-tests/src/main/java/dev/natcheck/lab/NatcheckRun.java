package dev.natcheck.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run of the natcheck jar with {@code -o json} in the client namespace: exit status, the
 * probes of its JSON document, and the raw output for assertion messages.
 */
public record NatcheckRun(ExecResult result, List<Probe> probes) {

    public static final String JAR = "natcheck-cli/target/natcheck.jar";

    public NatcheckRun {
        probes = List.copyOf(probes);
    }

    /** Runs {@code java -jar natcheck.jar -o json ARGS...} in the client namespace. */
    public static NatcheckRun run(LabNetwork net, Path jar, Duration timeout, List<String> args) {
        return run(net, jar, timeout, List.of(), args);
    }

    /** The same with JVM options before {@code -jar} (e.g. {@code -Dnatcheck.path.budget=2s}). */
    public static NatcheckRun run(
            LabNetwork net, Path jar, Duration timeout, List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>(List.of(Lab.java().toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "-o", "json"));
        command.addAll(args);
        ExecResult result = net.exec(Role.CLI, timeout, command);
        List<Probe> probes = new ArrayList<>();
        if (!result.timedOut() && result.stdout().strip().startsWith("{")) {
            probes.addAll(Probe.fromDocument(result.stdout()));
        }
        return new NatcheckRun(result, probes);
    }

    public int exitCode() {
        return result.exitCode();
    }

    /** The one probe of {@code family}; fails when there is none or several. */
    public Probe probe(Family family) {
        List<Probe> matching = probes.stream()
                .filter(p -> family.jsonName().equals(p.family()))
                .toList();
        if (matching.size() != 1) {
            throw new AssertionError("expected one " + family.jsonName() + " probe, found " + matching.size() + ":\n"
                    + result.describe());
        }
        return matching.getFirst();
    }

    public String describe() {
        return result.describe();
    }

    /**
     * One element of the JSON "probes" array (docs/json-schema.md).
     *
     * @param natLayers {@code nat_layers}, null when unknown or before schema 3
     * @param gateway the {@code gateway} object's fields, null when no gateway was asked
     * @param path {@code path}, hop addresses (null where a TTL got no answer); null when not probed
     */
    public record Probe(
            String iface,
            String family,
            String local,
            String transport,
            String server,
            String mapped,
            String verdict,
            String nat,
            Boolean mappingVariesByDestination,
            List<String> evidence,
            Integer natLayers,
            Map<String, String> gateway,
            List<String> path) {

        @SuppressWarnings("unchecked")
        static List<Probe> fromDocument(String json) {
            Map<String, Object> doc = (Map<String, Object>) Json.parse(json);
            Object schema = doc.get("schema");
            // Schema 2 only added the --behavior fields, schema 3 verdict values, the NAT count,
            // the gateway and the path: every field read here keeps its name and type.
            if (!(schema instanceof Double d) || (d != 1.0 && d != 2.0 && d != 3.0)) {
                throw new IllegalArgumentException("natcheck JSON schema is " + schema + ", expected 1, 2 or 3");
            }
            List<Probe> probes = new ArrayList<>();
            for (Object o : (List<Object>) doc.get("probes")) {
                Map<String, Object> p = (Map<String, Object>) o;
                List<String> evidence = ((List<Object>)
                                Optional.ofNullable(p.get("evidence")).orElse(List.of()))
                        .stream().map(String::valueOf).toList();
                probes.add(new Probe(
                        (String) p.get("interface"),
                        (String) p.get("family"),
                        (String) p.get("local"),
                        (String) p.get("transport"),
                        (String) p.get("server"),
                        (String) p.get("mapped"),
                        (String) p.get("verdict"),
                        (String) p.get("nat"),
                        (Boolean) p.get("mapping_varies_by_destination"),
                        evidence,
                        p.get("nat_layers") instanceof Double layers ? (int) (double) layers : null,
                        p.get("gateway") instanceof Map<?, ?> gateway ? strings(gateway) : null,
                        p.get("path") instanceof List<?> path
                                ? path.stream()
                                        .map(h -> h == null ? null : String.valueOf(h))
                                        .toList()
                                : null));
            }
            return probes;
        }

        private static Map<String, String> strings(Map<?, ?> object) {
            Map<String, String> fields = new java.util.LinkedHashMap<>();
            object.forEach((k, v) -> fields.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
            return fields;
        }

        /** The host part of "mapped" ("198.51.100.2:40000", "[2001:db8::2]:40000"), if any. */
        public Optional<String> mappedHost() {
            return Optional.ofNullable(mapped).map(NatcheckRun::host);
        }

        public Optional<String> localHost() {
            return Optional.ofNullable(local).map(NatcheckRun::host);
        }
    }

    static String host(String hostPort) {
        if (hostPort.startsWith("[")) {
            return hostPort.substring(1, hostPort.indexOf(']'));
        }
        int colon = hostPort.lastIndexOf(':');
        return colon < 0 ? hostPort : hostPort.substring(0, colon);
    }
}
