package dev.natcheck.lab;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/** The key=value facts lab/netlab.sh prints for a topology: addresses, namespaces. */
public record LabFacts(Map<String, String> values) {

    public LabFacts {
        values = Map.copyOf(values);
    }

    /** Reads the script's output; lines without '=' are ignored. */
    public static LabFacts parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        text.lines().forEach(line -> {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        });
        return new LabFacts(values);
    }

    public String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new NoSuchElementException("netlab.sh gave no '" + key + "' (facts: " + values + ")");
        }
        return value;
    }

    public Optional<String> find(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public String namespace(Role role) {
        return get("ns_" + role.scriptName());
    }

    /** The server's primary IPv4 address. */
    public String server4() {
        return get("server4");
    }

    /** The server's alternate IPv4 address (RFC 5780 OTHER-ADDRESS). */
    public String server4Alt() {
        return get("server4_alt");
    }

    public String server6() {
        return get("server6");
    }

    public String server6Alt() {
        return get("server6_alt");
    }

    /** The client's own IPv4 address. */
    public String client4() {
        return get("client4");
    }

    /** The IPv4 address the server sees the client as. */
    public String mapped4() {
        return get("mapped4");
    }

    /** The second client's own IPv4 address, in a {@link PeerPair}. */
    public String peer4() {
        return get("peer4");
    }

    /** The IPv4 address the server sees the second client as, in a {@link PeerPair}. */
    public String peerMapped4() {
        return get("peer_mapped4");
    }

    /** The home router's LAN address, the client's default gateway, in topologies with a cpe. */
    public String gateway4() {
        return get("gateway4");
    }

    /** The home router's own WAN address, in topologies with a cpe. */
    public String cpeWan4() {
        return get("cpe_wan4");
    }

    /** The client's own IPv6 address, in topologies that give it one. */
    public Optional<String> client6() {
        return find("client6");
    }

    /** The IPv6 address the server sees the client as, in topologies with IPv6. */
    public Optional<String> mapped6() {
        return find("mapped6");
    }
}
