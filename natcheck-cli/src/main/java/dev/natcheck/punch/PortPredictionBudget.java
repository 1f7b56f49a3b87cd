package dev.natcheck.punch;

/** The bounds of port prediction: how many ports and probes it may spend. */
public final class PortPredictionBudget {

    /** Sockets the symmetric side opens towards the other's public address for the birthday trick. */
    public static final int BIRTHDAY_PORTS = 256;
    /** Probes to random ports the other side sends at most for the birthday trick. */
    public static final int BIRTHDAY_PROBES = 1024;
    /** Predicted ports a sequential NAT's token carries. */
    public static final int SEQUENTIAL_PORTS = 6;

    private PortPredictionBudget() {}
}
