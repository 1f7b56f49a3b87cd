package dev.natcheck.probe;

import dev.natcheck.classify.AddressScope;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which (interface, family) pairs to probe and from which address (docs/design.md §2): up, not
 * loopback, with an address of the family; link-local addresses never; for IPv6 a global address
 * before a ULA. {@code -i}, {@code -4}, {@code -6} narrow the set; naming loopback with {@code -i}
 * (or {@code --local}) lets it in.
 */
public final class InterfaceSelection {

    /** Name prefixes of overlay networks, whose 100.64.0.0/10 addresses are their own, not a carrier's. */
    public static final List<String> OVERLAY_PREFIXES = List.of("tailscale", "wg", "tun", "utun", "zt");

    /**
     * @param names interfaces named with {@code -i}; empty means all
     * @param families {@code -4} / {@code -6}; both when neither was given
     * @param includeLoopback probe loopback too ({@code --local})
     */
    public record Request(Set<String> names, Set<Family> families, boolean includeLoopback) {
        public Request {
            names = Set.copyOf(names);
            families = Set.copyOf(families);
        }
    }

    /** The targets, plus why interfaces were left out (for {@code -v}). */
    public record Selected(List<ProbeTarget> targets, List<String> skipped) {
        public Selected {
            targets = List.copyOf(targets);
            skipped = List.copyOf(skipped);
        }
    }

    private InterfaceSelection() {}

    /**
     * Picks targets from {@code interfaces}.
     *
     * @throws IllegalArgumentException when {@code -i} names an interface that does not exist
     */
    public static Selected select(List<InterfaceInfo> interfaces, Request request) {
        for (String name : request.names()) {
            if (interfaces.stream().noneMatch(i -> i.name().equals(name))) {
                throw new IllegalArgumentException("no interface named '" + name + "' (have: "
                        + String.join(
                                ", ",
                                interfaces.stream()
                                        .map(InterfaceInfo::name)
                                        .sorted()
                                        .toList()) + ")");
            }
        }
        List<ProbeTarget> targets = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<InterfaceInfo> ordered = interfaces.stream()
                .sorted(Comparator.comparing(InterfaceInfo::name))
                .toList();
        for (InterfaceInfo nic : ordered) {
            boolean named = request.names().contains(nic.name());
            if (!request.names().isEmpty() && !named) {
                continue;
            }
            if (!nic.up()) {
                skipped.add(nic.name() + ": down");
                continue;
            }
            if (nic.loopback() && !named && !request.includeLoopback()) {
                skipped.add(nic.name() + ": loopback");
                continue;
            }
            for (Family family : Family.values()) {
                if (!request.families().contains(family)) {
                    continue;
                }
                Optional<InetAddress> address = pick(nic, family);
                if (address.isPresent()) {
                    targets.add(
                            new ProbeTarget(nic.name(), family, address.get(), isOverlay(nic.name()), nic.loopback()));
                } else {
                    skipped.add(nic.name() + ": no usable " + family.wireName() + " address");
                }
            }
        }
        return new Selected(targets, skipped);
    }

    /** True for tailscale*, wg*, tun*, utun*, zt* (case-insensitive). */
    public static boolean isOverlay(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return OVERLAY_PREFIXES.stream().anyMatch(lower::startsWith);
    }

    private static Optional<InetAddress> pick(InterfaceInfo nic, Family family) {
        InetAddress best = null;
        int bestRank = Integer.MAX_VALUE;
        for (InetAddress address : nic.addresses()) {
            if (!family.contains(address)) {
                continue;
            }
            int rank = rank(AddressScope.of(address), nic.loopback());
            if (rank < bestRank) {
                best = address;
                bestRank = rank;
            }
        }
        return Optional.ofNullable(best);
    }

    // Lower is better; MAX_VALUE means never. A global IPv6 address is what reaches the Internet
    // when both a global and a ULA are configured, so it is preferred.
    private static int rank(AddressScope scope, boolean loopbackInterface) {
        return switch (scope) {
            case PUBLIC -> 0;
            case PRIVATE, SHARED -> 1;
            case ULA -> 2;
            case LOOPBACK -> loopbackInterface ? 3 : Integer.MAX_VALUE;
            case LINK_LOCAL, UNSPECIFIED, MULTICAST -> Integer.MAX_VALUE;
        };
    }
}
