package dev.natcheck.probe;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** What interface selection needs to know about one network interface; a snapshot, easy to build in tests. */
public record InterfaceInfo(String name, boolean up, boolean loopback, List<InetAddress> addresses) {

    public InterfaceInfo {
        Objects.requireNonNull(name, "name");
        addresses = List.copyOf(addresses);
    }

    /** The host's interfaces, as the JDK sees them. */
    public static List<InterfaceInfo> system() throws SocketException {
        List<InterfaceInfo> interfaces = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            interfaces.add(new InterfaceInfo(
                    nic.getName(), nic.isUp(), nic.isLoopback(), Collections.list(nic.getInetAddresses())));
        }
        return interfaces;
    }
}
