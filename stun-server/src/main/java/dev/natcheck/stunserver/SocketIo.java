package dev.natcheck.stunserver;

import dev.natcheck.linux.LinuxUdp;

/** How the receive loops move datagrams. */
public enum SocketIo {
    /** {@link #BATCHED} where it runs (Linux, FFM native access allowed), else {@link #NIO}. */
    AUTO,
    /** One {@code DatagramChannel} receive and one send per datagram: portable. */
    NIO,
    /**
     * Linux {@code recvmmsg}/{@code sendmmsg} through the FFM API: one system call receives or
     * sends a batch of datagrams. Needs {@code --enable-native-access=ALL-UNNAMED} (the jar's
     * manifest says so).
     */
    BATCHED;

    /** What this choice means on this machine: AUTO resolved, BATCHED refused if unavailable. */
    SocketIo resolve() {
        return switch (this) {
            case AUTO -> LinuxUdp.AVAILABLE ? BATCHED : NIO;
            case NIO -> NIO;
            case BATCHED -> {
                if (!LinuxUdp.AVAILABLE) {
                    throw new IllegalStateException(
                            "batched socket I/O is not available here: " + LinuxUdp.UNAVAILABLE_REASON);
                }
                yield BATCHED;
            }
        };
    }
}
