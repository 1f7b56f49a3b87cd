package dev.natcheck.stun;

/**
 * CHANNEL-NUMBER (RFC 8656 §18.1): the channel a ChannelBind request binds, a number in
 * 0x4000..0x4FFF (§12), then two reserved bytes written as zeros and ignored on read.
 */
public record ChannelNumber(int number) implements StunAttribute {

    /** The lowest channel number (RFC 8656 §12). */
    public static final int MIN = 0x4000;
    /** The highest channel number (RFC 8656 §12); 0x5000..0xFFFF are reserved. */
    public static final int MAX = 0x4FFF;

    public ChannelNumber {
        if (!isValid(number)) {
            throw new IllegalArgumentException(
                    String.format("channel number must be 0x4000..0x4fff, got 0x%04x", number));
        }
    }

    /** Whether {@code number} is an allowed channel number, 0x4000..0x4FFF. */
    public static boolean isValid(int number) {
        return number >= MIN && number <= MAX;
    }

    @Override
    public int type() {
        return AttributeType.CHANNEL_NUMBER;
    }

    @Override
    public String toString() {
        return String.format("ChannelNumber[0x%04x]", number);
    }
}
