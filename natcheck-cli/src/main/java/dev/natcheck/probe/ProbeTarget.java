package dev.natcheck.probe;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One thing to probe: an interface's address of one family; every socket of the probe is bound to it.
 *
 * @param overlay the interface is an overlay network (tailscale*, wg*, tun*, utun*, zt*)
 * @param loopback the interface is loopback (only probed with {@code --local} or an explicit {@code -i})
 */
public record ProbeTarget(String interfaceName, Family family, InetAddress address, boolean overlay, boolean loopback) {

    public ProbeTarget {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(address, "address");
        if (!family.contains(address)) {
            throw new IllegalArgumentException(address + " is not " + family.wireName());
        }
    }
}
