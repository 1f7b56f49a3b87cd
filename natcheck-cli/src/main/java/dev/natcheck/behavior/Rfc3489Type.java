package dev.natcheck.behavior;

import java.util.Locale;
import java.util.Optional;

/**
 * The NAT names of RFC 3489 section 5 ("classic STUN"), derived from the RFC 5780 findings for
 * people who think in those terms. RFC 5780 replaced them because real NATs mix behaviours these
 * names cannot express; {@link #derive} says which combination maps to which name.
 */
public enum Rfc3489Type {
    /** No NAT, no filtering: the host is reachable as it is. */
    OPEN("open"),
    /** Endpoint-independent mapping and filtering. */
    FULL_CONE("full cone"),
    /** Endpoint-independent mapping, address-dependent filtering. */
    RESTRICTED_CONE("restricted cone"),
    /** Endpoint-independent mapping, address-and-port-dependent filtering. */
    PORT_RESTRICTED_CONE("port-restricted cone"),
    /** The mapping depends on the destination. */
    SYMMETRIC("symmetric"),
    /** No NAT, but a firewall lets in only answers from where the host sent to. */
    SYMMETRIC_UDP_FIREWALL("symmetric UDP firewall"),
    /** No UDP answer at all. */
    BLOCKED("blocked");

    private final String text;

    Rfc3489Type(String text) {
        this.text = text;
    }

    /** "port-restricted cone": the text output's and JSON's value. */
    public String text() {
        return text;
    }

    /** "port-restricted-cone", "symmetric-udp-firewall": the JSON value and the brief output's column. */
    public String token() {
        return text.replace(' ', '-').toLowerCase(Locale.ROOT);
    }

    /**
     * The RFC 3489 name for what the tests found, or the reason there is none.
     *
     * <table>
     * <caption>RFC 3489 names from RFC 5780 findings</caption>
     * <tr><th>UDP answer</th><th>translated</th><th>mapping</th><th>filtering</th><th>name</th></tr>
     * <tr><td>no</td><td>-</td><td>-</td><td>-</td><td>blocked</td></tr>
     * <tr><td>yes</td><td>no</td><td>-</td><td>endpoint-independent</td><td>open</td></tr>
     * <tr><td>yes</td><td>no</td><td>-</td><td>(address-)(and-port-)dependent</td><td>symmetric UDP firewall</td></tr>
     * <tr><td>yes</td><td>yes</td><td>address(-and-port)-dependent</td><td>-</td><td>symmetric</td></tr>
     * <tr><td>yes</td><td>yes</td><td>endpoint-independent</td><td>endpoint-independent</td><td>full cone</td></tr>
     * <tr><td>yes</td><td>yes</td><td>endpoint-independent</td><td>address-dependent</td><td>restricted cone</td></tr>
     * <tr><td>yes</td><td>yes</td><td>endpoint-independent</td><td>address-and-port-dependent</td><td>port-restricted cone</td></tr>
     * </table>
     * A finding the row needs that is unknown makes the name unknown, for the same reason.
     *
     * @param udpAnswered whether any Binding Request was answered
     * @param translated whether the mapped address differs from the local one (empty when unknown)
     */
    public static Finding<Rfc3489Type> derive(
            boolean udpAnswered,
            Optional<Boolean> translated,
            Finding<EndpointDependence> mapping,
            Finding<EndpointDependence> filtering) {
        if (!udpAnswered) {
            return Finding.measured(BLOCKED);
        }
        if (translated.isEmpty()) {
            return Finding.unknown(Finding.Reason.INCONCLUSIVE, "whether the address is translated is unknown");
        }
        if (!translated.get()) {
            if (filtering instanceof Finding.Measured<EndpointDependence> f) {
                return Finding.measured(
                        f.measured() == EndpointDependence.ENDPOINT_INDEPENDENT ? OPEN : SYMMETRIC_UDP_FIREWALL);
            }
            return filtering.unknownAs();
        }
        if (!(mapping instanceof Finding.Measured<EndpointDependence> m)) {
            return mapping.unknownAs();
        }
        if (m.measured() != EndpointDependence.ENDPOINT_INDEPENDENT) {
            return Finding.measured(SYMMETRIC);
        }
        if (!(filtering instanceof Finding.Measured<EndpointDependence> f)) {
            return filtering.unknownAs();
        }
        return Finding.measured(
                switch (f.measured()) {
                    case ENDPOINT_INDEPENDENT -> FULL_CONE;
                    case ADDRESS_DEPENDENT -> RESTRICTED_CONE;
                    case ADDRESS_AND_PORT_DEPENDENT -> PORT_RESTRICTED_CONE;
                });
    }
}
