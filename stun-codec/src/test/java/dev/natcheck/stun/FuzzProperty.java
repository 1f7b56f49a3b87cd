package dev.natcheck.stun;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * What fuzzing checks on every input: decode either returns a message or throws
 * {@link StunParseException} (any other throwable escapes and is a finding), and a decoded
 * message re-encodes to bytes that decode to the same message and re-encode identically.
 */
final class FuzzProperty {

    // Fuzzing runs one input at a time on one thread; reusing the view also exercises reuse.
    private static final MessageView VIEW = new MessageView();

    private FuzzProperty() {}

    static void check(byte[] data) {
        try {
            VIEW.decode(data, 0, data.length);
        } catch (StunParseException e) {
            if (!e.getMessage().contains(" at offset ") || e.offset() < 0 || e.offset() > data.length) {
                throw new AssertionError("badly formed parse error: " + e.getMessage());
            }
            return;
        }
        StunMessage decoded = VIEW.toMessage();
        byte[] again = decoded.encode();
        StunMessage redecoded;
        try {
            redecoded = StunMessage.decode(again);
        } catch (StunParseException e) {
            throw new AssertionError("re-encoding of " + hex(data) + " does not decode: " + e.getMessage(), e);
        }
        if (!redecoded.equals(decoded)) {
            throw new AssertionError("round trip changed " + decoded + " into " + redecoded);
        }
        if (!Arrays.equals(redecoded.encode(), again)) {
            throw new AssertionError("encoding is not canonical for " + decoded);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
