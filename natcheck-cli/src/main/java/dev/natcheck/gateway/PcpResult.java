package dev.natcheck.gateway;

import java.util.Optional;

/** PCP result codes (RFC 6887 section 7.4), each with what it tells about the network. */
public enum PcpResult {
    SUCCESS(0, "ok", "success"),
    UNSUPP_VERSION(1, "unsupp-version", "the gateway speaks another PCP version"),
    NOT_AUTHORIZED(2, "not-authorized", "the gateway refuses mappings for this host (PCP switched off or restricted)"),
    MALFORMED_REQUEST(3, "malformed-request", "the gateway could not parse natcheck's request"),
    UNSUPP_OPCODE(4, "unsupp-opcode", "the gateway does not support this request"),
    UNSUPP_OPTION(5, "unsupp-option", "the gateway does not support an option"),
    MALFORMED_OPTION(6, "malformed-option", "the gateway could not parse an option"),
    NETWORK_FAILURE(7, "network-failure", "the gateway has no external address of its own (no WAN lease?)"),
    NO_RESOURCES(8, "no-resources", "the gateway will not create the mapping now"),
    UNSUPP_PROTOCOL(9, "unsupp-protocol", "the gateway cannot map UDP"),
    USER_EX_QUOTA(10, "user-ex-quota", "this host has used up its mappings"),
    CANNOT_PROVIDE_EXTERNAL(11, "cannot-provide-external", "the gateway cannot provide that external address"),
    ADDRESS_MISMATCH(
            12,
            "address-mismatch",
            "the request reached the gateway from another address than this host's own: a NAT sits between"
                    + " this host and the gateway"),
    EXCESSIVE_REMOTE_PEERS(13, "excessive-remote-peers", "too many remote peers");

    private final int code;
    private final String wireName;
    private final String meaning;

    PcpResult(int code, String wireName, String meaning) {
        this.code = code;
        this.wireName = wireName;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    /** The JSON {@code result} token: the RFC's name in lower case with hyphens. */
    public String wireName() {
        return wireName;
    }

    /** What the code says about the gateway and the network, for the evidence. */
    public String meaning() {
        return meaning;
    }

    /** The RFC's name for {@code code}, e.g. {@code NOT_AUTHORIZED}; empty for unassigned codes. */
    public static Optional<PcpResult> of(int code) {
        for (PcpResult result : values()) {
            if (result.code == code) {
                return Optional.of(result);
            }
        }
        return Optional.empty();
    }

    /** The JSON token for any code, {@code result-N} when unassigned. */
    public static String wireName(int code) {
        return of(code).map(PcpResult::wireName).orElse("result-" + code);
    }
}
