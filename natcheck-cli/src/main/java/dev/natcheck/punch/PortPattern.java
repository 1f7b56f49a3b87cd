package dev.natcheck.punch;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a NAT allocated the external ports of one socket's mappings, and the step between them when
 * it counts up or down.
 *
 * @param step the port difference between consecutive new mappings when {@link PortAllocation#SEQUENTIAL},
 *     else 0
 */
public record PortPattern(PortAllocation allocation, int step) {

    /** Nothing observed. */
    public static final PortPattern UNKNOWN = new PortPattern(PortAllocation.UNKNOWN, 0);

    public PortPattern {
        Objects.requireNonNull(allocation, "allocation");
        if ((allocation == PortAllocation.SEQUENTIAL) != (step != 0)) {
            throw new IllegalArgumentException("a step (" + step + ") goes with sequential allocation only");
        }
        if (Math.abs(step) > PortAllocation.MAX_STEP) {
            throw new IllegalArgumentException("step " + step + " beyond ±" + PortAllocation.MAX_STEP);
        }
    }

    /**
     * The pattern in {@code mappedPorts}, the external ports one socket got towards different
     * destinations, in the order the mappings were made: all the same is {@link PortAllocation#REUSED};
     * moving the same way by at most {@link PortAllocation#MAX_STEP} each time is
     * {@link PortAllocation#SEQUENTIAL}, whose step is the smallest move seen (other hosts behind the
     * NAT may take ports in between, never fewer); anything else is {@link PortAllocation#RANDOM}.
     * Fewer than two ports tell nothing.
     */
    public static PortPattern observe(List<Integer> mappedPorts) {
        if (mappedPorts.size() < 2) {
            return UNKNOWN;
        }
        List<Integer> moves = new ArrayList<>();
        for (int i = 1; i < mappedPorts.size(); i++) {
            moves.add(mappedPorts.get(i) - mappedPorts.get(i - 1));
        }
        if (moves.stream().allMatch(m -> m == 0)) {
            return new PortPattern(PortAllocation.REUSED, 0);
        }
        boolean up = moves.stream().allMatch(m -> m > 0 && m <= PortAllocation.MAX_STEP);
        boolean down = moves.stream().allMatch(m -> m < 0 && m >= -PortAllocation.MAX_STEP);
        if (!up && !down) {
            return new PortPattern(PortAllocation.RANDOM, 0);
        }
        int smallest = moves.stream().mapToInt(Math::abs).min().orElseThrow();
        return new PortPattern(PortAllocation.SEQUENTIAL, up ? smallest : -smallest);
    }

    /** The next {@code count} ports after {@code last} when sequential; empty otherwise. */
    public List<Integer> predictAfter(int last, int count) {
        List<Integer> ports = new ArrayList<>();
        if (allocation != PortAllocation.SEQUENTIAL) {
            return ports;
        }
        for (int k = 1; k <= count; k++) {
            int port = last + k * step;
            if (port >= 1 && port <= 65535) {
                ports.add(port);
            }
        }
        return ports;
    }

    /** "sequential (+1)", "random", ... */
    @Override
    public String toString() {
        return allocation == PortAllocation.SEQUENTIAL
                ? allocation.wireName() + " (" + (step > 0 ? "+" : "") + step + ")"
                : allocation.wireName();
    }
}
