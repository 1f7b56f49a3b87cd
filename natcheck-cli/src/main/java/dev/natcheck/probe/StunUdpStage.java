package dev.natcheck.probe;

import dev.natcheck.classify.AddressText;
import dev.natcheck.classify.UntrustedText;
import dev.natcheck.stun.AddressAttribute;
import dev.natcheck.stun.AttributeType;
import dev.natcheck.stun.ErrorCode;
import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageEncoder;
import dev.natcheck.stun.MessageHeader;
import dev.natcheck.stun.MessageView;
import dev.natcheck.stun.Method;
import dev.natcheck.stun.OtherAddress;
import dev.natcheck.stun.StunParseException;
import dev.natcheck.stun.TransactionId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * STUN Binding over UDP (RFC 8489): one connected channel per server, all in flight at once on
 * one selector, retransmitted on a {@link RetransmitSchedule}; the first valid answer wins.
 *
 * <p>An answer is valid only when it comes from the address the request went to (the connected
 * channel makes the kernel drop anything else), carries the magic cookie and the request's
 * transaction id, is a Binding success response, and holds a mapped address of the probe's
 * family. Everything else is ignored and noted. ICMP port unreachable surfaces as a
 * {@link PortUnreachableException} on the connected channel and retires that server at once;
 * when every server is retired that way the stage ends immediately.
 *
 * <p>Requests carry PADDING up to {@link #REQUEST_SIZE} bytes so that a server that never answers
 * with more than it received (natcheck's own stun-server) has room for its answer; a server
 * that does not know PADDING says so with a 420 and gets the request again without it (RFC 8489
 * section 7.3.3.1).
 *
 * <p>After the winning answer the same socket (same local port) asks a different destination:
 * the server's OTHER-ADDRESS if it offers one, otherwise the other servers; a different mapped
 * address or port there means the mapping depends on the destination (symmetric NAT).
 */
public final class StunUdpStage implements UdpStage {

    private static final Logger log = LoggerFactory.getLogger(StunUdpStage.class);

    /** Size of a padded natcheck Binding Request, header included. */
    public static final int REQUEST_SIZE = 256;

    private static final int FINGERPRINT_SIZE = 8;
    private static final int ATTRIBUTE_HEADER_SIZE = 4;
    private static final int PADDING_LENGTH =
            REQUEST_SIZE - MessageHeader.SIZE - ATTRIBUTE_HEADER_SIZE - FINGERPRINT_SIZE;
    private static final int MAX_DATAGRAM = 65_535;

    @Override
    public Result bind(ProbeTarget target, List<ResolvedServer> servers, Deadline deadline)
            throws InterruptedException {
        return new Session().bind(target, servers, deadline);
    }

    /** The state of one {@link #bind} call, so that probes of several interfaces can run at once. */
    private static final class Session {

        private final MessageEncoder encoder = new MessageEncoder();
        private final MessageView view = new MessageView();
        private final ByteBuffer receive = ByteBuffer.allocate(MAX_DATAGRAM);

        /** Why a server stopped being asked. */
        private enum End {
            ANSWERED,
            ICMP,
            ERROR,
            GIVEN_UP
        }

        /** One request in flight: its channel, transaction and retransmission state. */
        private final class Exchange {
            final ResolvedServer server;
            final DatagramChannel channel;
            final byte[] request = new byte[REQUEST_SIZE];
            int requestLength;
            TransactionId id;
            boolean padded = true;
            long firstSentNanos = -1;
            int transmissions;
            long nextSendNanos;
            End end;
            /** Something came back from this server, usable or not: UDP reaches it. */
            boolean heard;

            Exchange(ResolvedServer server, DatagramChannel channel) {
                this.server = server;
                this.channel = channel;
                encode(true);
            }

            void encode(boolean withPadding) {
                padded = withPadding;
                id = TransactionId.random();
                encoder.begin(request, 0, MessageClass.REQUEST, Method.BINDING, id);
                if (withPadding) {
                    encoder.addPadding(PADDING_LENGTH);
                }
                requestLength = encoder.finish(true);
                transmissions = 0;
                firstSentNanos = -1;
                nextSendNanos = System.nanoTime();
            }

            String label() {
                return server.label();
            }
        }

        /** A response that passed every check. */
        private record Answer(InetSocketAddress mapped, Optional<InetSocketAddress> other) {}

        Result bind(ProbeTarget target, List<ResolvedServer> servers, Deadline deadline) throws InterruptedException {
            Notes notes = new Notes();
            if (servers.isEmpty()) {
                notes.add("no STUN server has an " + (target.family() == Family.IPV4 ? "IPv4" : "IPv6") + " address");
                return new TimedOut(notes.lines());
            }
            RetransmitSchedule schedule = RetransmitSchedule.forBudget(Duration.ofNanos(deadline.remainingNanos()));
            List<Exchange> exchanges = new ArrayList<>();
            try (Selector selector = Selector.open()) {
                for (ResolvedServer server : servers) {
                    open(target, server, selector, notes).ifPresent(exchanges::add);
                }
                return runPrimary(target, exchanges, selector, schedule, deadline, notes);
            } catch (IOException e) {
                notes.add("UDP probe failed: " + e.getMessage());
                return new TimedOut(notes.lines());
            } finally {
                for (Exchange exchange : exchanges) {
                    closeQuietly(exchange.channel);
                }
            }
        }

        private Optional<Exchange> open(ProbeTarget target, ResolvedServer server, Selector selector, Notes notes) {
            DatagramChannel channel = null;
            try {
                channel = DatagramChannel.open(target.family().protocolFamily());
                channel.bind(new InetSocketAddress(target.address(), 0));
                channel.connect(server.address());
                channel.configureBlocking(false);
                Exchange exchange = new Exchange(server, channel);
                channel.register(selector, SelectionKey.OP_READ, exchange);
                return Optional.of(exchange);
            } catch (IOException e) {
                notes.add(server.label() + ": cannot send from " + AddressText.format(target.address()) + " ("
                        + e.getMessage() + ")");
                closeQuietly(channel);
                return Optional.empty();
            }
        }

        private Result runPrimary(
                ProbeTarget target,
                List<Exchange> exchanges,
                Selector selector,
                RetransmitSchedule schedule,
                Deadline deadline,
                Notes notes)
                throws IOException, InterruptedException {
            long lastRejection = -1;
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                for (Exchange exchange : exchanges) {
                    if (exchange.end == null) {
                        sendIfDue(exchange, schedule, notes);
                    }
                }
                Exchange winner = null;
                Answer answer = null;
                long wait = Math.min(deadline.remainingNanos(), nextSendDelay(exchanges));
                if (allEnded(exchanges)) {
                    break;
                }
                if (wait <= 0 && deadline.expired()) {
                    break;
                }
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
                for (SelectionKey key : selector.selectedKeys()) {
                    Exchange exchange = (Exchange) key.attachment();
                    if (exchange.end != null) {
                        continue;
                    }
                    Answer got = drain(target, exchange, notes);
                    if (exchange.end == End.ICMP) {
                        lastRejection = System.nanoTime();
                        key.cancel();
                    }
                    if (got != null && winner == null) {
                        winner = exchange;
                        answer = got;
                    }
                }
                selector.selectedKeys().clear();
                if (winner != null) {
                    winner.end = End.ANSWERED;
                    Duration rtt = Duration.ofNanos(System.nanoTime() - winner.firstSentNanos);
                    InetSocketAddress local = (InetSocketAddress) winner.channel.getLocalAddress();
                    log.debug(
                            "{} answered: mapped {} in {} ms",
                            winner.label(),
                            AddressText.format(answer.mapped()),
                            rtt.toNanos() / 1e6);
                    for (Exchange other : exchanges) {
                        if (other != winner && other.end == null) {
                            other.end = End.GIVEN_UP;
                        }
                    }
                    for (SelectionKey key : selector.keys()) {
                        key.cancel();
                    }
                    selector.selectNow(); // flush cancelled keys so the winner's channel can be reused blocking-free
                    Optional<Boolean> varies = secondBinding(target, winner, answer, exchanges, deadline, notes);
                    return new Bound(local, winner.server, answer.mapped(), rtt, varies, notes.lines());
                }
            }
            for (Exchange exchange : exchanges) {
                if ((exchange.end == null || exchange.end == End.GIVEN_UP) && exchange.heard) {
                    notes.add(exchange.label() + ": answered, but never usably, in " + exchange.transmissions
                            + " transmission(s)");
                } else if (exchange.end == null || exchange.end == End.GIVEN_UP) {
                    notes.add(exchange.label() + ": no valid answer after " + exchange.transmissions
                            + " transmission(s) (answers from any other address are dropped)");
                }
            }
            if (exchanges.stream().anyMatch(e -> e.heard)) {
                return new Unusable(notes.lines());
            }
            boolean allRejected = !exchanges.isEmpty() && exchanges.stream().allMatch(e -> e.end == End.ICMP);
            if (allRejected) {
                return new Unreachable(lastRejection, notes.lines());
            }
            return new TimedOut(notes.lines());
        }

        private void sendIfDue(Exchange exchange, RetransmitSchedule schedule, Notes notes) {
            long now = System.nanoTime();
            if (exchange.nextSendNanos < 0 || now < exchange.nextSendNanos) {
                return;
            }
            try {
                exchange.channel.write(ByteBuffer.wrap(exchange.request, 0, exchange.requestLength));
            } catch (PortUnreachableException e) {
                exchange.end = End.ICMP;
                notes.add(exchange.label() + ": ICMP port unreachable");
                return;
            } catch (IOException e) {
                // ENETUNREACH / EHOSTUNREACH: the kernel refuses at once, as good as an ICMP reject.
                exchange.end = End.ICMP;
                notes.add(exchange.label() + ": cannot send (" + e.getMessage() + ")");
                return;
            }
            if (exchange.firstSentNanos < 0) {
                exchange.firstSentNanos = now;
            }
            exchange.transmissions++;
            long offset = schedule.sendOffsetNanos(exchange.transmissions);
            exchange.nextSendNanos = offset < 0 ? -1 : exchange.firstSentNanos + offset;
            if (exchange.transmissions > 1) {
                log.debug("{}: retransmission {}", exchange.label(), exchange.transmissions - 1);
            }
        }

        private static long nextSendDelay(List<Exchange> exchanges) {
            long now = System.nanoTime();
            long next = Long.MAX_VALUE;
            for (Exchange exchange : exchanges) {
                if (exchange.end == null && exchange.nextSendNanos >= 0) {
                    next = Math.min(next, Math.max(0, exchange.nextSendNanos - now));
                }
            }
            return next;
        }

        private static boolean allEnded(List<Exchange> exchanges) {
            return exchanges.stream().allMatch(e -> e.end != null);
        }

        /** Reads every queued datagram of one exchange; returns the first valid answer, if any. */
        private Answer drain(ProbeTarget target, Exchange exchange, Notes notes) {
            while (exchange.end == null) {
                receive.clear();
                int n;
                try {
                    n = exchange.channel.read(receive);
                } catch (PortUnreachableException e) {
                    exchange.end = End.ICMP;
                    notes.add(exchange.label() + ": ICMP port unreachable");
                    return null;
                } catch (IOException e) {
                    exchange.end = End.ICMP;
                    notes.add(exchange.label() + ": receive failed (" + e.getMessage() + ")");
                    return null;
                }
                if (n <= 0) {
                    return null;
                }
                exchange.heard = true;
                Answer answer = check(target, exchange, n, notes);
                if (answer != null) {
                    return answer;
                }
            }
            return null;
        }

        /** Every check of an answer to {@code exchange}'s request; notes why a datagram is ignored. */
        private Answer check(ProbeTarget target, Exchange exchange, int length, Notes notes) {
            String from = exchange.label();
            try {
                view.decode(receive.array(), 0, length);
            } catch (StunParseException e) {
                notes.add(from + ": malformed answer ignored (" + e.getMessage() + ")");
                return null;
            }
            if (view.cookie() != MessageHeader.MAGIC_COOKIE) {
                notes.add(from + ": answer without the STUN magic cookie ignored");
                return null;
            }
            if (!view.transactionIdMatches(exchange.id)) {
                notes.add(from + ": answer with a foreign transaction id ignored");
                return null;
            }
            if (view.methodCode() != Method.BINDING.code()) {
                notes.add(from + ": answer for method " + view.method() + " instead of Binding ignored");
                return null;
            }
            MessageClass messageClass = view.messageClass();
            if (messageClass == MessageClass.ERROR_RESPONSE) {
                handleError(exchange, notes);
                return null;
            }
            if (messageClass != MessageClass.SUCCESS_RESPONSE) {
                notes.add(from + ": a " + messageClass + " instead of a response ignored");
                return null;
            }
            Optional<InetSocketAddress> xor = view.xorMappedAddress().map(AddressAttribute::socketAddress);
            Optional<InetSocketAddress> plain = view.mappedAddress().map(AddressAttribute::socketAddress);
            Optional<InetSocketAddress> mapped = xor.or(() -> plain);
            if (mapped.isEmpty()) {
                notes.add(from + ": success answer without XOR-MAPPED-ADDRESS or MAPPED-ADDRESS ignored");
                return null;
            }
            if (!target.family().contains(mapped.get().getAddress())) {
                notes.add(from + ": mapped address " + AddressText.format(mapped.get()) + " is not "
                        + target.family().wireName() + ", answer ignored");
                return null;
            }
            if (xor.isPresent() && plain.isPresent() && !xor.get().equals(plain.get())) {
                notes.add(from + ": MAPPED-ADDRESS " + AddressText.format(plain.get())
                        + " differs from XOR-MAPPED-ADDRESS "
                        + AddressText.format(xor.get()) + ": something on the path rewrites addresses (an ALG); "
                        + "XOR-MAPPED-ADDRESS used");
            } else if (xor.isEmpty()) {
                notes.add(from + ": only MAPPED-ADDRESS in the answer (an RFC 3489 server)");
            }
            Optional<InetSocketAddress> other = view.otherAddress()
                    .map(OtherAddress::socketAddress)
                    .or(() -> view.changedAddress().map(AddressAttribute::socketAddress));
            return new Answer(mapped.get(), other);
        }

        private void handleError(Exchange exchange, Notes notes) {
            Optional<ErrorCode> error = view.errorCode();
            int code = error.map(ErrorCode::code).orElse(0);
            boolean paddingUnknown = code == ErrorCode.UNKNOWN_ATTRIBUTE
                    && view.unknownAttributes()
                            .map(u -> u.types().contains(AttributeType.PADDING))
                            .orElse(false);
            if (paddingUnknown && exchange.padded) {
                notes.add(exchange.label() + ": does not understand PADDING (420), asked again without it");
                exchange.encode(false);
                return;
            }
            notes.add(exchange.label() + ": answered with error "
                    + error.map(e -> e.code() + " " + UntrustedText.escape(e.reason()))
                            .orElse("(no ERROR-CODE)"));
            exchange.end = End.ERROR;
        }

        /**
         * The symmetric check: from the winner's socket (same local port), ask a different
         * destination and compare the mapping. Empty when no second destination answered.
         */
        private Optional<Boolean> secondBinding(
                ProbeTarget target,
                Exchange winner,
                Answer answer,
                List<Exchange> exchanges,
                Deadline deadline,
                Notes notes)
                throws IOException, InterruptedException {
            InetSocketAddress primary = winner.server.address();
            List<InetSocketAddress> destinations = new ArrayList<>();
            String how;
            Optional<InetSocketAddress> other = answer.other()
                    .filter(a -> target.family().contains(a.getAddress()))
                    .filter(a -> !a.equals(primary));
            if (other.isPresent()) {
                destinations.add(other.get());
                how = "OTHER-ADDRESS";
            } else {
                // Another IP first (catches address-dependent mapping); failing that the same IP on
                // another port, which still catches the classic address-and-port-dependent NAT.
                for (boolean sameIp : new boolean[] {false, true}) {
                    for (Exchange exchange : exchanges) {
                        InetSocketAddress address = exchange.server.address();
                        if (exchange != winner
                                && !address.equals(primary)
                                && !destinations.contains(address)
                                && address.getAddress().equals(primary.getAddress()) == sameIp) {
                            destinations.add(address);
                        }
                    }
                    if (!destinations.isEmpty()) {
                        break;
                    }
                }
                how = "a second server";
            }
            if (destinations.isEmpty()) {
                notes.add("mapping behaviour not tested: " + winner.label()
                        + " offers no OTHER-ADDRESS and no second server is available");
                return Optional.empty();
            }
            // One destination at a time, each on the same socket connected to it: re-connecting
            // keeps the local port (so the NAT mapping under test) and lets ICMP through, and an
            // IPv6 socket that was only disconnected was seen to drop answers from a new peer.
            DatagramChannel channel = winner.channel;
            for (int i = 0; i < destinations.size() && !deadline.expired(); i++) {
                InetSocketAddress destination = destinations.get(i);
                Deadline slot = deadline.fraction(1.0 / (destinations.size() - i));
                Optional<InetSocketAddress> mapped =
                        askSecond(target, channel, destination, winner.padded, slot, notes);
                if (mapped.isPresent()) {
                    boolean varies = !mapped.get().equals(answer.mapped());
                    notes.add("second binding to " + how + " " + AddressText.format(destination) + " saw "
                            + AddressText.format(mapped.get())
                            + (varies
                                    ? ", not " + AddressText.format(answer.mapped())
                                            + ": the mapping depends on the destination"
                                    : ": the same mapping"));
                    return Optional.of(varies);
                }
            }
            notes.add("mapping behaviour not tested: the second destination (" + how + ") did not answer in time");
            return Optional.empty();
        }

        /** One Binding Request, retransmitted, to {@code destination} from the winner's socket. */
        private Optional<InetSocketAddress> askSecond(
                ProbeTarget target,
                DatagramChannel channel,
                InetSocketAddress destination,
                boolean padded,
                Deadline deadline,
                Notes notes)
                throws IOException, InterruptedException {
            String label = "second binding to " + AddressText.format(destination);
            channel.disconnect();
            channel.connect(destination);
            channel.configureBlocking(false);
            TransactionId id = TransactionId.random();
            byte[] request = new byte[REQUEST_SIZE];
            encoder.begin(request, 0, MessageClass.REQUEST, Method.BINDING, id);
            if (padded) {
                encoder.addPadding(PADDING_LENGTH);
            }
            int length = encoder.finish(true);
            RetransmitSchedule schedule = RetransmitSchedule.forBudget(Duration.ofNanos(deadline.remainingNanos()));
            try (Selector selector = Selector.open()) {
                SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
                long first = System.nanoTime();
                int transmission = 0;
                while (!deadline.expired()) {
                    long offset = schedule.sendOffsetNanos(transmission);
                    if (offset >= 0 && System.nanoTime() - first >= offset) {
                        channel.write(ByteBuffer.wrap(request, 0, length));
                        transmission++;
                    }
                    long nextOffset = schedule.sendOffsetNanos(transmission);
                    long wait = nextOffset < 0
                            ? deadline.remainingNanos()
                            : Math.min(deadline.remainingNanos(), first + nextOffset - System.nanoTime());
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
                    selector.selectedKeys().clear();
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    while (true) {
                        receive.clear();
                        if (channel.read(receive) <= 0) {
                            break;
                        }
                        Optional<InetSocketAddress> mapped =
                                checkSecond(target, id, receive.position(), notes, destination);
                        if (mapped.isPresent()) {
                            return mapped;
                        }
                    }
                }
                key.cancel();
                notes.add(label + ": no answer in time");
            } catch (PortUnreachableException e) {
                notes.add(label + ": ICMP port unreachable");
            } catch (IOException e) {
                notes.add(label + ": " + e.getMessage());
            }
            return Optional.empty();
        }

        private Optional<InetSocketAddress> checkSecond(
                ProbeTarget target, TransactionId id, int length, Notes notes, InetSocketAddress from) {
            String label = "second binding from " + AddressText.format(from);
            try {
                view.decode(receive.array(), 0, length);
            } catch (StunParseException e) {
                notes.add(label + ": malformed answer ignored (" + e.getMessage() + ")");
                return Optional.empty();
            }
            if (view.cookie() != MessageHeader.MAGIC_COOKIE
                    || !view.transactionIdMatches(id)
                    || view.methodCode() != Method.BINDING.code()
                    || view.messageClass() != MessageClass.SUCCESS_RESPONSE) {
                notes.add(label + ": answer with a wrong cookie, transaction id, method or class ignored");
                return Optional.empty();
            }
            Optional<InetSocketAddress> mapped = view.xorMappedAddress()
                    .map(AddressAttribute::socketAddress)
                    .or(() -> view.mappedAddress().map(AddressAttribute::socketAddress))
                    .filter(a -> target.family().contains(a.getAddress()));
            if (mapped.isEmpty()) {
                notes.add(label + ": answer without a usable mapped address ignored");
            }
            return mapped;
        }
    }

    private static void closeQuietly(DatagramChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                log.trace("close failed", e);
            }
        }
    }
}
