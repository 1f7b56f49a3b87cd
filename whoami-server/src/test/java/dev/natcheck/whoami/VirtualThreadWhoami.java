package dev.natcheck.whoami;

import dev.natcheck.command.DurationConverter;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/**
 * The design not taken, kept for {@link WhoamiSoak} to measure against: the same protocol with a
 * blocking socket and one virtual thread per connection instead of one selector thread.
 * Run: {@code java -cp ... dev.natcheck.whoami.VirtualThreadWhoami 127.0.0.1 0 300s}.
 */
final class VirtualThreadWhoami {

    private VirtualThreadWhoami() {}

    public static void main(String[] args) throws Exception {
        InetAddress address = InetAddress.ofLiteral(args[0]);
        int port = Integer.parseInt(args[1]);
        Duration idle = new DurationConverter().convert(args[2]);
        ServerSocket server = new ServerSocket(port, WhoamiServer.BACKLOG, address);
        System.err.println("listening on [" + AddressLine.text((InetSocketAddress) server.getLocalSocketAddress())
                + "] (virtual threads)");
        while (true) {
            Socket client = server.accept();
            Thread.ofVirtual().start(() -> serve(client, (int) idle.toMillis()));
        }
    }

    private static void serve(Socket client, int idleMillis) {
        try (client) {
            client.setSoTimeout(idleMillis);
            client.getOutputStream().write(AddressLine.encode((InetSocketAddress) client.getRemoteSocketAddress()));
            client.shutdownOutput();
            InputStream in = client.getInputStream();
            byte[] discard = new byte[512];
            int total = 0;
            for (int n; (n = in.read(discard)) > 0 && total <= WhoamiServer.DISCARD_LIMIT; ) {
                total += n;
            }
        } catch (IOException clientGoneOrIdle) {
            // Same outcome as the selector server: the connection is closed.
        }
    }
}
