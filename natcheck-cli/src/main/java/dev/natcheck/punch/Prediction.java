package dev.natcheck.punch;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Strategy} expects of a pair before anything is sent: the path, how to get it, and
 * why, in words for the user.
 *
 * @param symmetricSide with port prediction, the side behind the symmetric NAT: it opens the
 *     ports (birthday) or gets its next port predicted (sequential); empty otherwise
 */
public record Prediction(Path path, PortPrediction portPrediction, Optional<Side> symmetricSide, String reason) {

    /** The four outcomes the strategy tells apart. */
    public enum Path {
        /** A side accepts datagrams from anyone: the other's checks reach it at once. */
        DIRECT("direct"),
        /** Both sides send at once so that each NAT opens for the other (simultaneous open). */
        PUNCH("punch"),
        /** A punch that needs the symmetric side's next port: predicted, or found by the birthday trick. */
        PUNCH_WITH_PORT_PREDICTION("punch with port prediction"),
        /** No direct path is expected: a TURN relay (RFC 8656) is needed. */
        RELAY("relay");

        private final String text;

        Path(String text) {
            this.text = text;
        }

        /** "punch with port prediction": the text output's value. */
        public String text() {
            return text;
        }

        /** "punch-with-port-prediction": the JSON value. */
        public String wireName() {
            return text.replace(' ', '-');
        }

        /** True for every path but {@link #RELAY}: a direct path should be found. */
        public boolean expectsDirectPath() {
            return this != RELAY;
        }
    }

    /** How the symmetric side's port is found. */
    public enum PortPrediction {
        NONE("none"),
        /** Check the next ports after the last mapping, at the NAT's step (the default). */
        SEQUENTIAL("sequential"),
        /** 256 ports opened on the symmetric side, random probes from the other (opt-in, bounded). */
        BIRTHDAY("birthday");

        private final String wireName;

        PortPrediction(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** One of the two peers, from where natcheck runs. */
    public enum Side {
        LOCAL,
        PEER;

        public Side other() {
            return this == LOCAL ? PEER : LOCAL;
        }
    }

    public Prediction {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(portPrediction, "portPrediction");
        Objects.requireNonNull(symmetricSide, "symmetricSide");
        Objects.requireNonNull(reason, "reason");
        if ((path == Path.PUNCH_WITH_PORT_PREDICTION) != (portPrediction != PortPrediction.NONE)
                || (portPrediction != PortPrediction.NONE) != symmetricSide.isPresent()) {
            throw new IllegalArgumentException("port prediction goes with its path and its side: " + path + ", "
                    + portPrediction + ", " + symmetricSide);
        }
    }

    static Prediction of(Path path, String reason) {
        return new Prediction(path, PortPrediction.NONE, Optional.empty(), reason);
    }

    /** The same prediction seen from the other peer. */
    public Prediction mirrored() {
        return new Prediction(path, portPrediction, symmetricSide.map(Side::other), reason);
    }
}
