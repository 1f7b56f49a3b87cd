package dev.natcheck.gateway;

/** The three ways a home gateway tells its external address. */
public enum Protocol {
    /** Port Control Protocol, RFC 6887, UDP 5351. */
    PCP("pcp", "PCP"),
    /** NAT Port Mapping Protocol, RFC 6886, UDP 5351. */
    NAT_PMP("nat-pmp", "NAT-PMP"),
    /** UPnP Internet Gateway Device: SSDP on UDP 1900, then HTTP and SOAP. */
    UPNP("upnp", "UPnP IGD");

    private final String wireName;
    private final String label;

    Protocol(String wireName, String label) {
        this.wireName = wireName;
        this.label = label;
    }

    /** The name in the JSON output: {@code pcp}, {@code nat-pmp}, {@code upnp}. */
    public String wireName() {
        return wireName;
    }

    /** The name people know it by, for the evidence. */
    public String label() {
        return label;
    }
}
