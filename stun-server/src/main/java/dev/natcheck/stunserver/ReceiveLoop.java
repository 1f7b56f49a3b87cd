package dev.natcheck.stunserver;

import dev.natcheck.address.AddressText;
import dev.natcheck.linux.LinuxUdp;
import dev.natcheck.stun.AttributeType;
import dev.natcheck.stun.ChangeRequest;
import dev.natcheck.stun.ErrorCode;
import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageEncoder;
import dev.natcheck.stun.MessageHeader;
import dev.natcheck.stun.MessageView;
import dev.natcheck.stun.Method;
import dev.natcheck.stun.StunParseException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive loop of one socket: blocks in receive, decides, answers, counts. Two ways to move
 * datagrams ({@link SocketIo}): NIO, one {@code receive} and one {@code send} per datagram; or
 * batched on Linux, one {@code recvmmsg} taking every datagram queued (up to {@link #BATCH}) and
 * one {@code sendmmsg} sending all their answers. Everything it touches per packet is
 * preallocated (direct buffers or native segments, the codec's reusable view and encoder, the
 * client address bytes), so a Binding request costs no heap allocation. The exceptions: a
 * datagram that passes the cheap header checks yet fails full decoding (the codec's exception),
 * and on the NIO path a RESPONSE-PORT answer (a new destination address) and the JDK's own
 * address object for a sender other than the previous one.
 */
final class ReceiveLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ReceiveLoop.class);

    /** Larger than any UDP payload, so nothing is ever truncated. */
    static final int MAX_DATAGRAM = 65_536;

    /** Datagrams per recvmmsg/sendmmsg on the batched path. */
    static final int BATCH = 32;

    private static final Counter[] COUNTERS = Counter.values();
    private static final int[] CHANGE_REQUEST_ONLY = {AttributeType.CHANGE_REQUEST};
    private static final String UNKNOWN_ATTRIBUTE = "Unknown Attribute";
    private static final String BAD_REQUEST = "Bad Request";
    private static final int ADDRESS_ATTRIBUTE_HEADER = 8; // type, length, reserved, family, port

    private final Endpoint endpoint;
    private final StunServer server;
    private final SourceRateLimiter limiter;
    private final boolean allowAmplification;
    private final String software;
    private final int softwareSize;

    // NIO path only (allocated on first use, so the batched path does not carry them).
    private ByteBuffer rx;
    private ByteBuffer tx;
    private InetSocketAddress from;
    // Batched path only.
    private NativeBatch batch;
    private final byte[] in = new byte[MAX_DATAGRAM];
    private final byte[] out = new byte[MAX_DATAGRAM];
    private final MessageView request = new MessageView();
    private final MessageEncoder encoder = new MessageEncoder();

    // The sender's address as 4 or 16 bytes, recomputed only when the sender object changes: the
    // JDK hands back the same InetSocketAddress while the sender stays the same.
    private final byte[] client = new byte[16];
    private int clientLength;
    private int clientPort;
    private InetAddress lastClient;

    final AtomicLongArray counts = new AtomicLongArray(COUNTERS.length);

    ReceiveLoop(Endpoint endpoint, StunServer server, SourceRateLimiter limiter, StunServerConfig config) {
        this.endpoint = endpoint;
        this.server = server;
        this.limiter = limiter;
        this.allowAmplification = config.allowAmplification();
        this.software = config.software();
        int n = software.getBytes(StandardCharsets.UTF_8).length;
        this.softwareSize = n == 0 ? 0 : 4 + padded(n);
    }

    @Override
    public void run() {
        try {
            if (endpoint.channel == null) {
                runBatched();
            } else {
                runNio();
            }
        } catch (RuntimeException | Error e) {
            server.failed(endpoint, e);
        }
    }

    private void runBatched() {
        try (Arena arena = Arena.ofConfined()) {
            batch = new NativeBatch(arena, BATCH, MAX_DATAGRAM, in, out, client);
            NativeBatch b = batch;
            while (true) {
                b.prepareReceive();
                // Blocks for the first datagram only, then takes whatever else is already queued.
                // The form that keeps no errno allocates nothing whatever the JIT makes of it.
                int got = LinuxUdp.recvmmsg(endpoint.fd, b.rxMsgs, BATCH, LinuxUdp.MSG_WAITFORONE);
                if (got < 0 && !server.isClosed()) {
                    // Failed, errno not kept: ask again, keeping it. A persistent error repeats;
                    // a passing one (EINTR) was going to be retried anyway.
                    got = LinuxUdp.recvmmsg(b.errno, endpoint.fd, b.rxMsgs, BATCH, LinuxUdp.MSG_WAITFORONE);
                }
                if (server.isClosed()) {
                    return; // close() shut the socket down: the normal way out
                }
                if (got < 0) {
                    int errno = LinuxUdp.errno(b.errno);
                    if (LinuxUdp.isFatal(errno)) {
                        // A bad descriptor or argument will not get better: stop rather than spin.
                        throw new IllegalStateException("recvmmsg on " + endpoint + ": " + LinuxUdp.strerror(errno));
                    }
                    if (errno != LinuxUdp.EINTR && errno != LinuxUdp.EAGAIN) {
                        log.warn("recvmmsg on {}: {}", endpoint, LinuxUdp.strerror(errno));
                    }
                    continue;
                }
                for (int i = 0; i < got; i++) {
                    b.current = i;
                    int n = b.received(i);
                    if (!b.senderOf(i, client)) {
                        count(Counter.RECEIVED);
                        count(Counter.DROPPED_MALFORMED); // no sender address: nothing to answer
                        continue;
                    }
                    clientLength = b.senderLength;
                    clientPort = b.senderPort;
                    if (b.truncated(i)) {
                        count(Counter.RECEIVED);
                        count(Counter.DROPPED_MALFORMED);
                        continue;
                    }
                    b.copyIn(i, n);
                    handle(n);
                }
                b.flush(endpoint.fd, counts);
            }
        }
    }

    private void runNio() {
        rx = ByteBuffer.allocateDirect(MAX_DATAGRAM);
        tx = ByteBuffer.allocateDirect(MAX_DATAGRAM);
        while (true) {
            rx.clear();
            SocketAddress from;
            try {
                from = endpoint.channel.receive(rx);
            } catch (ClosedChannelException e) {
                return; // close(): the normal way out
            } catch (IOException e) {
                if (!endpoint.channel.isOpen()) {
                    return;
                }
                log.warn("receive on {}: {}", endpoint, e.toString());
                continue;
            }
            int n = rx.position();
            rx.get(0, in, 0, n);
            this.from = (InetSocketAddress) from;
            InetAddress ip = this.from.getAddress();
            if (ip != lastClient) {
                clientLength = addressBytes(ip, client);
                lastClient = ip;
            }
            clientPort = this.from.getPort();
            handle(n);
        }
    }

    private void count(Counter counter) {
        int i = counter.ordinal();
        // One writer per array: a release store is enough for readers on other threads.
        counts.setRelease(i, counts.getPlain(i) + 1);
    }

    /** Decides what datagram {@code in[0 .. n)} from {@code client:clientPort} gets, and sends it. */
    private void handle(int n) {
        count(Counter.RECEIVED);
        // Cheap checks first, so garbage and floods of responses cost no decode and no exception.
        if (n < MessageHeader.SIZE) {
            count(Counter.DROPPED_MALFORMED);
            return;
        }
        int type = u16(in, 0);
        if ((type & 0xC000) != 0 || u16(in, 2) != n - MessageHeader.SIZE || (n & 3) != 0) {
            count(Counter.DROPPED_MALFORMED);
            return;
        }
        if (MessageHeader.classBits(type) != MessageClass.REQUEST.bits()) {
            count(Counter.DROPPED_NOT_REQUEST);
            return;
        }
        if (MessageHeader.methodCode(type) != Method.BINDING.code()) {
            count(Counter.DROPPED_NOT_BINDING);
            return;
        }
        if (limiter != null && !limiter.tryAcquire(client, 0, clientLength, System.nanoTime())) {
            count(Counter.DROPPED_RATE_LIMITED);
            return;
        }
        try {
            request.decode(in, 0, n);
        } catch (StunParseException e) {
            count(Counter.DROPPED_MALFORMED);
            return;
        }
        if (request.isLegacy() && hasCookieOnlyAttribute()) {
            // A "RFC 3489" message carrying RFC 5389-only attributes is a modern one whose magic
            // cookie got corrupted: garbage, not a classic client.
            count(Counter.DROPPED_MALFORMED);
            return;
        }
        answer(n);
    }

    private boolean hasCookieOnlyAttribute() {
        for (int i = 0; i < request.attributeCount(); i++) {
            switch (request.attributeType(i)) {
                case AttributeType.XOR_MAPPED_ADDRESS,
                        AttributeType.FINGERPRINT,
                        AttributeType.PADDING,
                        AttributeType.RESPONSE_PORT,
                        AttributeType.RESPONSE_ORIGIN,
                        AttributeType.OTHER_ADDRESS,
                        AttributeType.MESSAGE_INTEGRITY_SHA256,
                        AttributeType.PASSWORD_ALGORITHM,
                        AttributeType.USERHASH -> {
                    return true;
                }
                default -> {}
            }
        }
        return false;
    }

    private void answer(int n) {
        if (request.unknownComprehensionRequiredCount() > 0) {
            error(n, ErrorCode.UNKNOWN_ATTRIBUTE, UNKNOWN_ATTRIBUTE, null);
            return;
        }
        boolean changeRequested = request.has(AttributeType.CHANGE_REQUEST);
        if (changeRequested && !endpoint.rfc5780()) {
            // RFC 5780 §6.1: without an alternate address CHANGE-REQUEST is not understood.
            error(n, ErrorCode.UNKNOWN_ATTRIBUTE, UNKNOWN_ATTRIBUTE, CHANGE_REQUEST_ONLY);
            return;
        }
        int responsePort = request.responsePort();
        if (responsePort >= 0 && (request.hasPadding() || responsePort == 0)) {
            // RFC 5780 §6.1: PADDING with RESPONSE-PORT is a 400; port 0 cannot be answered to.
            error(n, ErrorCode.BAD_REQUEST, BAD_REQUEST, null);
            return;
        }
        int flags = request.changeRequestFlags();
        Endpoint via =
                endpoint.answering((flags & ChangeRequest.CHANGE_IP) != 0, (flags & ChangeRequest.CHANGE_PORT) != 0);
        int destinationPort = responsePort >= 0 ? responsePort : clientPort;
        if (server.isSelf(client, clientLength, destinationPort)) {
            count(Counter.DROPPED_LOOP);
            return;
        }

        boolean legacy = request.isLegacy();
        boolean fingerprint = request.hasFingerprint();
        Endpoint other = endpoint.rfc5780() ? endpoint.other() : endpoint;
        int clientAttribute = ADDRESS_ATTRIBUTE_HEADER + clientLength;
        int size = MessageHeader.SIZE + clientAttribute; // XOR-MAPPED-ADDRESS, or 3489 MAPPED-ADDRESS
        if (legacy) {
            // RFC 3489 §11.2: SOURCE-ADDRESS and CHANGED-ADDRESS, when this socket's address is known.
            size += addressSize(via) + addressSize(other);
        } else if (endpoint.rfc5780()) {
            size += clientAttribute + addressSize(via) + addressSize(other);
        }
        if (fingerprint) {
            size += 8;
        }
        // SOFTWARE is a courtesy: left out rather than let it cost the client its answer.
        boolean withSoftware = softwareSize > 0 && (allowAmplification || size + softwareSize <= n);
        if (withSoftware) {
            size += softwareSize;
        }
        int padding = -1;
        if (request.hasPadding() && n - size >= 4) {
            // RFC 5780 §7.6: pad the answer like the request, here to exactly the request's size.
            padding = n - size - 4;
            size = n;
        }
        if (!allowAmplification && size > n && !provenSource()) {
            droppedForAmplification(n, size);
            return;
        }

        int port = clientPort;
        encoder.beginResponse(out, 0, MessageClass.SUCCESS_RESPONSE, request);
        if (legacy) {
            encoder.addMappedAddress(client, 0, clientLength, port);
            addAddress(AttributeType.SOURCE_ADDRESS, via);
            addAddress(AttributeType.CHANGED_ADDRESS, other);
        } else {
            encoder.addXorMappedAddress(client, 0, clientLength, port);
            if (endpoint.rfc5780()) {
                encoder.addMappedAddress(client, 0, clientLength, port);
                addAddress(AttributeType.RESPONSE_ORIGIN, via);
                addAddress(AttributeType.OTHER_ADDRESS, other);
            }
        }
        if (withSoftware) {
            encoder.addSoftware(software);
        }
        if (padding >= 0) {
            encoder.addPadding(padding);
        }
        int length = encoder.finish(fingerprint);
        assert length == size : "answer of " + length + " bytes, computed " + size;
        send(via, destinationPort, length, Counter.ANSWERED);
    }

    private void error(int n, int code, String reason, int[] unknown) {
        if (server.isSelf(client, clientLength, clientPort)) {
            count(Counter.DROPPED_LOOP);
            return;
        }
        int unknownCount = unknown != null ? unknown.length : request.unknownComprehensionRequiredCount();
        int size = MessageHeader.SIZE + 4 + 4 + padded(reason.length());
        if (code == ErrorCode.UNKNOWN_ATTRIBUTE) {
            size += 4 + padded(2 * unknownCount);
        }
        boolean fingerprint = request.hasFingerprint();
        if (fingerprint) {
            size += 8;
        }
        if (!allowAmplification && size > n && !provenSource()) {
            droppedForAmplification(n, size);
            return;
        }
        encoder.beginResponse(out, 0, MessageClass.ERROR_RESPONSE, request).addErrorCode(code, reason);
        if (code == ErrorCode.UNKNOWN_ATTRIBUTE) {
            if (unknown != null) {
                encoder.addUnknownAttributes(unknown, unknown.length);
            } else {
                encoder.addUnknownAttributes(request);
            }
        }
        int length = encoder.finish(fingerprint);
        assert length == size : "error answer of " + length + " bytes, computed " + size;
        send(endpoint, clientPort, length, Counter.ANSWERED_ERROR);
    }

    /**
     * Counts a request whose answer would be larger than it; the first such drop of the whole
     * server is logged once at WARN, naming the option that answers it, since a plain client
     * (a bare 20-byte request) otherwise just hangs. Later drops cost a volatile read and the count.
     */
    private void droppedForAmplification(int requestSize, int answerSize) {
        count(Counter.DROPPED_AMPLIFICATION);
        if (server.firstAmplificationDrop()) {
            log.warn(
                    "dropped a {}-byte Binding request from {}: its {}-byte answer would be larger than the request, "
                            + "and this server never amplifies by default (plain STUN clients send 20-byte requests; "
                            + "natcheck pads its own). Start with --allow-amplification to answer such clients. "
                            + "Further drops are only counted (metric stun_dropped_datagrams_total{reason=\"amplification\"}, "
                            + "and the line at shutdown)",
                    requestSize,
                    AddressText.format(clientAddress(), clientPort),
                    answerSize);
        }
    }

    /** The current client as an address object; only for the rare log line. */
    private InetAddress clientAddress() {
        try {
            return InetAddress.getByAddress(java.util.Arrays.copyOf(client, clientLength));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("address of " + clientLength + " bytes", e);
        }
    }

    private void send(Endpoint via, int port, int length, Counter counter) {
        if (batch != null) {
            if (via == endpoint) {
                batch.queueAnswer(length, port, counter.ordinal());
            } else if (batch.sendNow(via.fd, length, port)) {
                count(counter);
            } else {
                count(Counter.SEND_FAILED);
                if (log.isDebugEnabled()) {
                    // sendNow's second try kept errno.
                    log.debug("sendto from {}: {}", via, LinuxUdp.strerror(LinuxUdp.errno(batch.errno)));
                }
            }
            return;
        }
        tx.clear();
        tx.put(out, 0, length);
        tx.flip();
        // Only RESPONSE-PORT needs a destination other than the sender's own address object.
        InetSocketAddress to = port == clientPort ? from : new InetSocketAddress(from.getAddress(), port);
        try {
            via.channel.send(tx, to);
            count(counter);
        } catch (IOException e) {
            count(Counter.SEND_FAILED);
            if (log.isDebugEnabled()) {
                log.debug("send from {} to {}: {}", via, AddressText.format(to), e.toString());
            }
        }
    }

    /**
     * Whether the source fetched the browser check page moments ago ({@link ProvenSources}): its
     * bare requests get their (larger) answers for a short while. Costs one volatile read when
     * the page is not served.
     */
    private boolean provenSource() {
        ProvenSources proven = server.provenSources();
        return proven != null && proven.tryAnswer(client, clientLength, System.nanoTime());
    }

    private void addAddress(int type, Endpoint e) {
        if (e.knowsAddress()) {
            encoder.addAddress(type, e.address, 0, e.address.length, e.port);
        }
    }

    private static int addressSize(Endpoint e) {
        return e.knowsAddress() ? ADDRESS_ATTRIBUTE_HEADER + e.address.length : 0;
    }

    /**
     * Writes {@code ip} into {@code dst} as 4 bytes for IPv4 (IPv4-mapped IPv6 included, so a
     * dual-stack socket reports IPv4 clients as IPv4) or 16 for IPv6; returns the length.
     */
    static int addressBytes(InetAddress ip, byte[] dst) {
        byte[] a = ip.getAddress();
        if (a.length == 16 && isIpv4Mapped(a)) {
            System.arraycopy(a, 12, dst, 0, 4);
            return 4;
        }
        System.arraycopy(a, 0, dst, 0, a.length);
        return a.length;
    }

    static boolean isIpv4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }

    private static int padded(int length) {
        return (length + 3) & ~3;
    }
}
