package dev.natcheck.probe;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** The TCP_ECHO state's work: connect to the whoami port and read the one-line observed address. */
@FunctionalInterface
public interface TcpStage {

    /** Connects to every host in parallel; the first well-formed line wins. */
    Result echo(ProbeTarget target, List<InetSocketAddress> hosts, Deadline deadline) throws InterruptedException;

    /** How the TCP stage ended. */
    sealed interface Result {
        List<String> notes();
    }

    /** A well-formed whoami line. */
    record Echoed(
            InetSocketAddress local,
            InetSocketAddress server,
            InetSocketAddress mapped,
            Duration rtt,
            List<String> notes)
            implements Result {
        public Echoed {
            notes = List.copyOf(notes);
        }
    }

    /** Nothing connected and answered by the deadline. */
    record TimedOut(List<String> notes) implements Result {
        public TimedOut {
            notes = List.copyOf(notes);
        }
    }

    /** Every connection was refused (RST or ICMP) before the deadline. */
    record Refused(List<String> notes) implements Result {
        public Refused {
            notes = List.copyOf(notes);
        }
    }

    /** Something answered, but no line parsed: evidence, not a verdict. */
    record Malformed(List<String> notes) implements Result {
        public Malformed {
            notes = List.copyOf(notes);
        }
    }
}
