package dev.natcheck.classify;

import java.util.Locale;

/** Which probe produced the outside address: a STUN binding over UDP or the whoami echo over TCP. */
public enum Transport {
    UDP,
    TCP;

    /** Lower-case name as it appears in JSON and brief output. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
