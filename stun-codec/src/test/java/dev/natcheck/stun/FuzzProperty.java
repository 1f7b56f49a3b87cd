package dev.natcheck.stun;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * What fuzzing checks on every input, sorted by its first two bits as a TURN client sorts what it
 * receives ({@link PacketKind}):
 *
 * <ul>
 *   <li>STUN: decode either returns a message or throws {@link StunParseException} (any other
 *       throwable escapes and is a finding); a decoded message re-encodes to bytes that decode to
 *       the same message and re-encode identically; the client's accessors (lifetime, error code,
 *       nonce cookie, both integrity checks, the 401/438 challenge) answer without throwing; the
 *       stream framing agrees with the message's length.
 *   <li>ChannelData, as a datagram and as a stream frame: decode either returns or throws
 *       {@link StunParseException}; a decoded message re-encodes canonically and decodes to itself.
 *   <li>Anything else: both decoders and the stream framing refuse it with {@link StunParseException}.
 * </ul>
 *
 * A decoder that takes the other kind must refuse it, too.
 */
final class FuzzProperty {

    // Fuzzing runs one input at a time on one thread; reusing the views also exercises reuse.
    private static final MessageView VIEW = new MessageView();
    private static final ChannelDataView CHANNEL_DATA = new ChannelDataView();
    private static final byte[] KEY = MessageIntegrity.longTermKey("user", "realm", "password");

    private FuzzProperty() {}

    static void check(byte[] data) {
        switch (PacketKind.of(data, 0, data.length)) {
            case STUN -> {
                checkStun(data);
                refusedAsChannelData(data);
            }
            case CHANNEL_DATA -> {
                checkChannelData(data, Framing.DATAGRAM);
                checkChannelData(data, Framing.STREAM);
                refusedAsStun(data);
            }
            case OTHER -> {
                refusedAsStun(data);
                refusedAsChannelData(data);
                if (data.length >= 4) {
                    try {
                        Framing.STREAM.frameLength(data, 0, data.length);
                        throw new AssertionError("stream framing took " + hex(data));
                    } catch (StunParseException e) {
                        checkWellFormed(e, data);
                    }
                }
            }
        }
    }

    private static void checkStun(byte[] data) {
        try {
            VIEW.decode(data, 0, data.length);
        } catch (StunParseException e) {
            checkWellFormed(e, data);
            return;
        }
        exerciseClientAccessors(data);
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

    /** What a TURN client reads from every answer must never throw on a message decode accepted. */
    private static void exerciseClientAccessors(byte[] data) {
        long lifetime = VIEW.lifetimeSeconds();
        int code = VIEW.errorCodeValue();
        int channel = VIEW.channelNumber();
        int features = VIEW.securityFeatureBits();
        if (lifetime < -1 || lifetime > Lifetime.MAX || (code != -1 && (code < 300 || code > 699))) {
            throw new AssertionError("accessor out of range for " + hex(data));
        }
        if (channel != -1 && !ChannelNumber.isValid(channel) || features < -1 || features > 0xFFFFFF) {
            throw new AssertionError("accessor out of range for " + hex(data));
        }
        VIEW.verifyMessageIntegrity(KEY);
        VIEW.verifyMessageIntegritySha256(KEY);
        Challenge.of(VIEW).ifPresent(Challenge::refusal);
        try {
            if (Framing.STREAM.frameLength(data, 0, data.length) != data.length) {
                throw new AssertionError("stream frame length disagrees with the message for " + hex(data));
            }
        } catch (StunParseException e) {
            throw new AssertionError("stream framing refused a decoded message " + hex(data), e);
        }
    }

    private static void checkChannelData(byte[] data, Framing framing) {
        try {
            CHANNEL_DATA.decode(data, 0, data.length, framing);
        } catch (StunParseException e) {
            checkWellFormed(e, data);
            return;
        }
        if (CHANNEL_DATA.dataOffset() + CHANNEL_DATA.dataLength() > data.length) {
            throw new AssertionError("data past the end of " + hex(data));
        }
        ChannelData decoded = CHANNEL_DATA.toChannelData();
        byte[] again = decoded.encode(framing);
        ChannelData redecoded;
        try {
            redecoded = ChannelData.decode(again, 0, again.length, framing);
            if (framing == Framing.STREAM && Framing.STREAM.frameLength(data, 0, data.length) != data.length) {
                throw new AssertionError("stream frame length disagrees with the frame for " + hex(data));
            }
        } catch (StunParseException e) {
            throw new AssertionError("re-encoding of " + hex(data) + " does not decode: " + e.getMessage(), e);
        }
        if (!redecoded.equals(decoded) || !Arrays.equals(redecoded.encode(framing), again)) {
            throw new AssertionError("ChannelData round trip changed " + decoded + " into " + redecoded);
        }
    }

    private static void refusedAsStun(byte[] data) {
        try {
            VIEW.decode(data, 0, data.length);
            throw new AssertionError("the STUN decoder took " + hex(data));
        } catch (StunParseException e) {
            checkWellFormed(e, data);
        }
    }

    private static void refusedAsChannelData(byte[] data) {
        for (Framing framing : Framing.values()) {
            try {
                CHANNEL_DATA.decode(data, 0, data.length, framing);
                throw new AssertionError("the ChannelData decoder took " + hex(data));
            } catch (StunParseException e) {
                checkWellFormed(e, data);
            }
        }
    }

    private static void checkWellFormed(StunParseException e, byte[] data) {
        if (!e.getMessage().contains(" at offset ") || e.offset() < 0 || e.offset() > data.length) {
            throw new AssertionError("badly formed parse error: " + e.getMessage());
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
