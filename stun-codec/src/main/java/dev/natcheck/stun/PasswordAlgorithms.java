package dev.natcheck.stun;

import java.util.List;
import java.util.Optional;

/**
 * PASSWORD-ALGORITHMS (RFC 8489 §14.11): the algorithms a server accepts for deriving the
 * long-term key, in its order of preference; a client answering a 401 copies it unchanged and
 * names the first one it supports in PASSWORD-ALGORITHM (§9.2.5). On the wire, the entries of
 * {@link PasswordAlgorithm} one after another, each padded to a multiple of 4.
 */
public record PasswordAlgorithms(List<PasswordAlgorithm> algorithms) implements StunAttribute {

    public PasswordAlgorithms {
        algorithms = List.copyOf(algorithms);
    }

    /** The list {@code algorithms}, e.g. {@code of(SHA_256, MD5)}, none with parameters. */
    public static PasswordAlgorithms of(int... algorithms) {
        PasswordAlgorithm[] list = new PasswordAlgorithm[algorithms.length];
        for (int i = 0; i < algorithms.length; i++) {
            list[i] = new PasswordAlgorithm(algorithms[i]);
        }
        return new PasswordAlgorithms(List.of(list));
    }

    /** The first algorithm this codec supports, which a client must choose (§9.2.5). */
    public Optional<PasswordAlgorithm> firstSupported() {
        return algorithms.stream().filter(PasswordAlgorithm::isSupported).findFirst();
    }

    /** Bytes of the value on the wire. */
    public int encodedLength() {
        int n = 0;
        for (int i = 0; i < algorithms.size(); i++) {
            n += algorithms.get(i).encodedLength();
        }
        return n;
    }

    @Override
    public int type() {
        return AttributeType.PASSWORD_ALGORITHMS;
    }
}
