package dev.natcheck.behavior;

import dev.natcheck.classify.AddressText;
import dev.natcheck.probe.Deadline;
import dev.natcheck.probe.Family;
import dev.natcheck.probe.Notes;
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
import dev.natcheck.transaction.Pacer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Runs many STUN transactions over several sockets on one thread and one selector: starts each at
 * the slot its {@link Pacer} grants, retransmits it on its {@link Schedule}, matches answers by
 * transaction id, and reports each transaction once when it settles, so the caller can start the
 * tests that depended on it.
 *
 * <p>An answer counts only with the magic cookie, a transaction id of ours, the socket the request
 * went out on, and, except for CHANGE-REQUEST tests (whose answers are meant to come from
 * elsewhere), the address the request went to; the rest is noted and ignored. The hairpin test's
 * "answer" is our own Binding Request arriving at any of our sockets.
 */
final class TransactionLoop implements AutoCloseable {

    /** Size of a padded Binding Request, header included: room for any answer natcheck's server gives. */
    static final int REQUEST_SIZE = 256;

    private static final int PADDING_LENGTH = REQUEST_SIZE - MessageHeader.SIZE - 4 - 8;
    private static final int MAX_DATAGRAM = 65_535;
    private static final String ROOM_FOR_ANSWER = "natcheck binding lifetime test (RFC 5780 section 4.6): this text "
            + "only makes the request as large as the answer";
    /** Retransmission intervals are stretched by up to this much, so transactions drift apart (RFC 5780 section 5). */
    private static final double MAX_STRETCH = 0.05;

    private final Pacer pacer;
    private final Notes notes;
    private final Family family;
    private final RandomGenerator random;
    private final Selector selector;
    private final List<Port> ports = new ArrayList<>();
    private final List<Exchange> active = new ArrayList<>();
    private final Map<TransactionId, Exchange> byId = new HashMap<>();
    private final Queue<Exchange> settledQueue = new ArrayDeque<>();
    private final List<Exchange> later = new ArrayList<>();
    private final MessageEncoder encoder = new MessageEncoder();
    private final MessageView view = new MessageView();
    private final ByteBuffer receive = ByteBuffer.allocate(MAX_DATAGRAM);
    private final byte[] send = new byte[REQUEST_SIZE];
    private long lastAnswerAt = Long.MIN_VALUE;

    TransactionLoop(Pacer pacer, Notes notes, Family family, RandomGenerator random) throws IOException {
        this.pacer = pacer;
        this.notes = notes;
        this.family = family;
        this.random = random;
        this.selector = Selector.open();
    }

    /** A new socket on {@code address}, connected to {@code peer} when given; closed with the loop. */
    Port open(String role, InetAddress address, Optional<InetSocketAddress> peer) throws IOException {
        Port port = Port.open(role, address, peer, random);
        ports.add(port);
        port.channel.register(selector, SelectionKey.OP_READ, port);
        return port;
    }

    /** Queues {@code exchange} for the next start slot the pacer grants. */
    void submit(Exchange exchange) {
        exchange.startAt = pacer.reserve(System.nanoTime(), exchange.newBinding);
        active.add(exchange);
    }

    /**
     * Queues {@code exchange} for a start slot at or after {@code atNanos}; the slot is reserved
     * only then, so a start far in the future does not hold up others.
     */
    void submitAt(Exchange exchange, long atNanos) {
        exchange.startAt = atNanos;
        later.add(exchange);
    }

    /** Starts {@code exchange}, queued with {@link #submitAt}, at the next free slot instead of its time. */
    void expedite(Exchange exchange) {
        if (later.remove(exchange)) {
            submit(exchange);
        }
    }

    /** Ends {@code exchange} now, unanswered and cut short, unless it already settled. */
    void cancel(Exchange exchange) {
        later.remove(exchange);
        if (!exchange.settled()) {
            settle(exchange, new Outcome.Unanswered(exchange.transmissions, false));
        }
    }

    /** {@link System#nanoTime()} of the latest accepted answer on any socket, or Long.MIN_VALUE. */
    long lastAnswerAt() {
        return lastAnswerAt;
    }

    /**
     * Runs until no transaction is waiting or running, or until {@code deadline}, which ends the
     * rest as unanswered and cut short. {@code onSettled} is called on this thread once per
     * settled transaction and may submit more.
     */
    void run(Deadline deadline, Consumer<Exchange> onSettled) throws IOException, InterruptedException {
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            drainSettled(onSettled);
            long now = System.nanoTime();
            long wake = Long.MAX_VALUE;
            for (var it = later.iterator(); it.hasNext(); ) {
                Exchange exchange = it.next();
                if (now >= exchange.startAt) {
                    it.remove();
                    submit(exchange);
                } else {
                    wake = Math.min(wake, exchange.startAt);
                }
            }
            for (int i = 0; i < active.size(); i++) {
                Exchange exchange = active.get(i);
                if (!exchange.settled()) {
                    wake = Math.min(wake, step(exchange, now));
                }
            }
            if (!settledQueue.isEmpty()) {
                continue; // settling may start dependent tests: step them before sleeping
            }
            active.removeIf(Exchange::settled);
            if (active.isEmpty() && later.isEmpty()) {
                return;
            }
            if (deadline.expired()) {
                active.addAll(later);
                later.clear();
                for (Exchange exchange : List.copyOf(active)) {
                    cancel(exchange);
                }
                drainSettled(e -> {});
                active.clear();
                return;
            }
            long waitNanos = Math.min(wake, System.nanoTime() + deadline.remainingNanos()) - System.nanoTime();
            if (waitNanos <= 0) {
                selector.selectNow();
            } else {
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999)));
            }
            for (SelectionKey key : selector.selectedKeys()) {
                drain((Port) key.attachment());
            }
            selector.selectedKeys().clear();
        }
    }

    /** Sends what is due, gives up what has waited long enough; returns when this exchange next needs attention. */
    private long step(Exchange exchange, long now) {
        if (exchange.state == Exchange.State.WAITING) {
            if (now < exchange.startAt) {
                return exchange.startAt;
            }
            exchange.state = Exchange.State.RUNNING;
            encode(exchange);
            exchange.firstSent = now;
        }
        Schedule schedule = exchange.schedule;
        long due = schedule.sendOffsetNanos(exchange.transmissions);
        if (due >= 0 && now - exchange.firstSent >= due) {
            transmit(exchange, now);
            if (exchange.settled()) {
                return Long.MAX_VALUE;
            }
            due = schedule.sendOffsetNanos(exchange.transmissions);
        }
        if (due >= 0) {
            return exchange.firstSent + due;
        }
        long giveUp = exchange.firstSent + schedule.giveUpOffsetNanos();
        if (now >= giveUp) {
            settle(exchange, new Outcome.Unanswered(exchange.transmissions, true));
            return Long.MAX_VALUE;
        }
        return giveUp;
    }

    private void encode(Exchange exchange) {
        if (exchange.id != null) {
            byId.remove(exchange.id);
        }
        exchange.id = TransactionId.random();
        byId.put(exchange.id, exchange);
    }

    private int request(Exchange exchange) {
        encoder.begin(send, 0, MessageClass.REQUEST, Method.BINDING, exchange.id);
        if (exchange.changeFlags != 0) {
            encoder.addChangeRequest(exchange.changeFlags);
        }
        if (exchange.responsePort >= 0) {
            encoder.addResponsePort(exchange.responsePort);
        }
        if (exchange.padded) {
            int used = encoder.length() - MessageHeader.SIZE;
            encoder.addPadding(Math.max(0, PADDING_LENGTH - used));
        } else if (exchange.responsePort >= 0) {
            // RFC 5780 section 7.6 forbids PADDING next to RESPONSE-PORT, yet a server that never
            // answers with more than it received (natcheck's own) needs the room: SOFTWARE, which
            // every server may ignore, provides it.
            encoder.addSoftware(ROOM_FOR_ANSWER);
        }
        return encoder.finish(true);
    }

    private void transmit(Exchange exchange, long now) {
        int length = request(exchange);
        try {
            ByteBuffer datagram = ByteBuffer.wrap(send, 0, length);
            if (exchange.port.connected.isPresent()) {
                exchange.port.channel.write(datagram);
            } else {
                exchange.port.channel.send(datagram, exchange.destination);
            }
        } catch (PortUnreachableException e) {
            refuse(exchange.port, "ICMP port unreachable");
            return;
        } catch (IOException e) {
            settle(exchange, new Outcome.Refused("cannot send: " + e.getMessage()));
            return;
        }
        exchange.transmissions++;
        exchange.lastSent = now;
    }

    private void drain(Port port) {
        while (true) {
            receive.clear();
            SocketAddress source;
            try {
                source = port.channel.receive(receive);
            } catch (PortUnreachableException e) {
                refuse(port, "ICMP port unreachable");
                return;
            } catch (IOException e) {
                refuse(port, "receive failed: " + e.getMessage());
                return;
            }
            if (source == null) {
                return;
            }
            dispatch(port, (InetSocketAddress) source, receive.position());
        }
    }

    /** An ICMP error on a connected socket ends every transaction still running on it. */
    private void refuse(Port port, String why) {
        for (Exchange exchange : List.copyOf(active)) {
            if (exchange.port == port && exchange.state == Exchange.State.RUNNING) {
                settle(exchange, new Outcome.Refused(why + " from " + AddressText.format(exchange.destination)));
            }
        }
    }

    private void dispatch(Port port, InetSocketAddress source, int length) {
        String from = AddressText.format(source);
        try {
            view.decode(receive.array(), 0, length);
        } catch (StunParseException e) {
            notes.add(port + ": malformed datagram from " + from + " ignored (" + e.getMessage() + ")");
            return;
        }
        if (view.cookie() != MessageHeader.MAGIC_COOKIE) {
            notes.add(port + ": datagram without the STUN magic cookie from " + from + " ignored");
            return;
        }
        Exchange exchange = byId.get(view.transactionId());
        if (exchange == null) {
            notes.add(port + ": datagram with a transaction id not ours from " + from + " ignored");
            return;
        }
        if (exchange.settled() || view.methodCode() != Method.BINDING.code()) {
            return; // a duplicate answer to a retransmission, or nonsense with our id: nothing to learn
        }
        if (exchange.kind == Exchange.Kind.HAIRPIN) {
            if (view.isBindingRequest()) {
                accept(
                        exchange,
                        new Answer(
                                source,
                                port.local,
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Duration.ofNanos(System.nanoTime() - exchange.firstSent),
                                exchange.transmissions));
            }
            return;
        }
        if (port != exchange.port && exchange.responsePort < 0) {
            notes.add(port + ": answer for " + exchange.name + " arrived on the wrong socket, ignored");
            return;
        }
        MessageClass messageClass = view.messageClass();
        if (messageClass == MessageClass.ERROR_RESPONSE) {
            rejected(exchange, from);
            return;
        }
        if (messageClass != MessageClass.SUCCESS_RESPONSE) {
            return;
        }
        if (!exchange.anySource && !source.equals(exchange.destination)) {
            notes.add(exchange.label() + ": answer from " + from + " instead of the address asked ignored");
            return;
        }
        Optional<InetSocketAddress> xor = view.xorMappedAddress().map(AddressAttribute::socketAddress);
        Optional<InetSocketAddress> plain = view.mappedAddress().map(AddressAttribute::socketAddress);
        Optional<InetSocketAddress> mapped = xor.or(() -> plain);
        if (mapped.isEmpty() || !family.contains(mapped.get().getAddress())) {
            notes.add(exchange.label() + ": answer from " + from + " without a " + family.wireName()
                    + " mapped address ignored");
            return;
        }
        Optional<InetSocketAddress> other = view.otherAddress()
                .map(OtherAddress::socketAddress)
                .or(() -> view.changedAddress().map(AddressAttribute::socketAddress));
        Optional<InetSocketAddress> origin = view.responseOrigin().map(AddressAttribute::socketAddress);
        accept(
                exchange,
                new Answer(
                        source,
                        port.local,
                        xor,
                        plain,
                        other,
                        origin,
                        Duration.ofNanos(System.nanoTime() - exchange.firstSent),
                        exchange.transmissions));
    }

    private void rejected(Exchange exchange, String from) {
        Optional<ErrorCode> error = view.errorCode();
        int code = error.map(ErrorCode::code).orElse(0);
        boolean paddingUnknown = code == ErrorCode.UNKNOWN_ATTRIBUTE
                && view.unknownAttributes()
                        .map(u -> u.types().contains(AttributeType.PADDING))
                        .orElse(false);
        if (paddingUnknown && exchange.padded) {
            // RFC 8489 section 7.3.3.1 lets the client try again without the attribute it named.
            notes.add(exchange.label() + ": " + from + " does not understand PADDING (420), asked again without it");
            exchange.padded = false;
            encode(exchange);
            transmit(exchange, System.nanoTime());
            return;
        }
        settle(exchange, new Outcome.Rejected(code, error.map(ErrorCode::reason).orElse("(no ERROR-CODE)")));
    }

    private void accept(Exchange exchange, Answer answer) {
        lastAnswerAt = System.nanoTime();
        settle(exchange, new Outcome.Answered(answer));
    }

    private void settle(Exchange exchange, Outcome outcome) {
        exchange.outcome = outcome;
        exchange.state = Exchange.State.SETTLED;
        settledQueue.add(exchange);
    }

    private void drainSettled(Consumer<Exchange> onSettled) {
        Exchange exchange;
        while ((exchange = settledQueue.poll()) != null) {
            onSettled.accept(exchange);
        }
    }

    /** A random stretch for one transaction's intervals, so no two stay in step. */
    double stretch() {
        return 1 + random.nextDouble() * MAX_STRETCH;
    }

    @Override
    public void close() {
        for (Port port : ports) {
            port.close();
        }
        try {
            selector.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
