package dev.natcheck.behavior;

/**
 * RFC 4787's three classes of NAT mapping and filtering behaviour, as RFC 5780 sections 4.3 and
 * 4.4 test them.
 */
public enum EndpointDependence {
    /** The same mapping (or the same open door) whatever the remote address and port. */
    ENDPOINT_INDEPENDENT("endpoint-independent", "EI"),
    /** Depends on the remote address only. */
    ADDRESS_DEPENDENT("address-dependent", "AD"),
    /** Depends on the remote address and port. */
    ADDRESS_AND_PORT_DEPENDENT("address-and-port-dependent", "APD");

    private final String wireName;
    private final String abbreviation;

    EndpointDependence(String wireName, String abbreviation) {
        this.wireName = wireName;
        this.abbreviation = abbreviation;
    }

    /** "endpoint-independent", ...: the JSON, brief and text value. */
    public String wireName() {
        return wireName;
    }

    /** RFC 4787 shorthand with the kind's letter: EIM, ADF, APDM, ... */
    public String abbreviation(char kind) {
        return abbreviation + kind;
    }
}
