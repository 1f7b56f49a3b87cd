package dev.natcheck.probe;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Turns a host name into addresses; the system resolver in production, a table in tests. */
@FunctionalInterface
public interface NameResolver {

    /** The operating system's resolver (hosts file, DNS...). */
    NameResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    /** All addresses of {@code host}, both families. */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
