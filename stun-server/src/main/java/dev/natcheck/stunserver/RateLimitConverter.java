package dev.natcheck.stunserver;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --rate-limit}: {@code RATE[:BURST]} packets per second per source, or {@code off}. */
public final class RateLimitConverter implements ITypeConverter<RateLimit> {

    @Override
    public RateLimit convert(String value) {
        String v = value.trim();
        if (v.equalsIgnoreCase("off") || v.equals("0")) {
            return RateLimit.OFF;
        }
        int colon = v.indexOf(':');
        try {
            double rate = Double.parseDouble(colon < 0 ? v : v.substring(0, colon));
            // Without a burst, allow two seconds' worth, at least one packet.
            int burst = colon < 0 ? (int) Math.max(1, Math.ceil(2 * rate)) : Integer.parseInt(v.substring(colon + 1));
            if (!(rate > 0) || Double.isInfinite(rate) || burst < 1) {
                throw new TypeConversionException("'" + value + "': rate must be > 0 and burst >= 1 (or 'off')");
            }
            return RateLimit.of(rate, burst);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not RATE[:BURST] (e.g. 100:200) or 'off'");
        }
    }
}
