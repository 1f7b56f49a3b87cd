package dev.natcheck.stunserver;

import java.io.IOException;

/**
 * The socket I/O path the socket tests start servers with: {@code -Dtest.socketIo=NIO} (the
 * second surefire run) or by default {@link SocketIo#AUTO}, the batched path on Linux.
 */
final class SocketIoUnderTest {

    static final SocketIo IO = SocketIo.valueOf(System.getProperty("test.socketIo", "AUTO"));

    private SocketIoUnderTest() {}

    static StunServer start(StunServerConfig config) throws IOException {
        return StunServer.start(config, IO);
    }
}
