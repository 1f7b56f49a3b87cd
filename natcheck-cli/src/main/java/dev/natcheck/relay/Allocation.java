package dev.natcheck.relay;

import dev.natcheck.address.AddressText;
import dev.natcheck.classify.UntrustedText;
import dev.natcheck.stun.Challenge;
import dev.natcheck.stun.ChannelData;
import dev.natcheck.stun.ChannelDataView;
import dev.natcheck.stun.ChannelNumber;
import dev.natcheck.stun.ErrorCode;
import dev.natcheck.stun.Framing;
import dev.natcheck.stun.Lifetime;
import dev.natcheck.stun.LongTermCredentials;
import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageEncoder;
import dev.natcheck.stun.MessageHeader;
import dev.natcheck.stun.MessageView;
import dev.natcheck.stun.Method;
import dev.natcheck.stun.PacketKind;
import dev.natcheck.stun.RequestedTransport;
import dev.natcheck.stun.StunAttribute;
import dev.natcheck.stun.StunParseException;
import dev.natcheck.stun.TransactionId;
import dev.natcheck.stun.XorMappedAddress;
import dev.natcheck.stun.XorPeerAddress;
import dev.natcheck.stun.XorRelayedAddress;
import dev.natcheck.transaction.Credentials;
import dev.natcheck.transaction.Datagram;
import dev.natcheck.transaction.Endpoint;
import dev.natcheck.transaction.LongTermLogin;
import dev.natcheck.transaction.Request;
import dev.natcheck.transaction.Response;
import dev.natcheck.transaction.Schedule;
import dev.natcheck.transaction.Transaction;
import dev.natcheck.transaction.TransactionLoop;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One TURN allocation (RFC 8656), the client's side, on the transaction engine: the connection to
 * the server (a UDP socket, or a TCP connection, RFC 8656 section 3.1), the Allocate, Refresh,
 * CreatePermission and ChannelBind requests (each signed with the long-term credentials the
 * Allocate's 401 led to, each answering a 438 itself), and once allocated the relayed address as
 * an {@link Endpoint} of the loop: what is sent from it leaves as a Send indication, or as
 * ChannelData once a channel to that peer is bound (section 12), and what the server relays back
 * (Data indications, ChannelData) arrives on it from the peer. Whatever else comes from the server
 * is evidence. Owned by the loop's thread.
 */
public final class Allocation {

    /** Room for the largest datagram wrapped in a Send indication. */
    private static final int MAX_WRAPPED = 20 + 24 + 4 + 65_535 + 3 + 8;

    private final TransactionLoop loop;
    private final TurnServer server;
    private final InetSocketAddress address;
    private final Endpoint control;
    private final Optional<LongTermLogin> login;
    private final Consumer<String> evidence;
    private final MessageEncoder encoder = new MessageEncoder();
    private final MessageView view = new MessageView();
    private final ChannelDataView channelView = new ChannelDataView();
    private final byte[] out = new byte[MAX_WRAPPED];
    private final Map<InetSocketAddress, Integer> channelOf = new HashMap<>();
    private final Map<Integer, InetSocketAddress> peerOn = new HashMap<>();
    private final Set<Integer> boundChannels = new HashSet<>();
    private final Map<Transaction, Integer> binding = new HashMap<>();
    private int nextChannel = ChannelNumber.MIN;
    private Optional<Credentials> credentials = Optional.empty();
    private InetSocketAddress relayedAddress;
    private InetSocketAddress mappedAddress;
    private long lifetimeSeconds;
    private Endpoint relayed;
    private int unusable;
    private int carried;
    private int arrived;

    private Allocation(
            TransactionLoop loop,
            TurnServer server,
            InetSocketAddress address,
            Endpoint control,
            Optional<LongTermLogin> login,
            Consumer<String> evidence) {
        this.loop = loop;
        this.server = server;
        this.address = address;
        this.control = control;
        this.login = login;
        this.evidence = evidence;
    }

    /**
     * Opens the connection to {@code server} at {@code address} (UDP: a socket connected to it,
     * so ICMP errors surface; TCP: a connection the loop completes) from the wildcard address of
     * its family. {@code evidence} hears of everything the server sends that is neither an answer
     * nor relayed data.
     */
    public static Allocation open(
            TransactionLoop loop,
            TurnServer server,
            InetSocketAddress address,
            Optional<LongTermLogin> login,
            Consumer<String> evidence)
            throws IOException {
        InetAddress any =
                InetAddress.getByAddress(address.getAddress() instanceof Inet4Address ? new byte[4] : new byte[16]);
        String role = "relay " + server;
        Endpoint control = server.transport() == TurnServer.Transport.UDP
                ? loop.open(role, any, Optional.of(address))
                : loop.connect(role, any, address);
        Allocation allocation = new Allocation(loop, server, address, control, login, evidence);
        control.onUnsolicited(allocation::fromServer);
        return allocation;
    }

    /**
     * Runs the codec paths a check takes once, on made-up messages, before any relay is timed:
     * the long-term key and HMAC, a signed request, a Send indication, a Data indication and
     * ChannelData decoded. Otherwise the first relay to reach each path pays its class loading
     * and first compilation in its measured times, and a nearer relay named first could lose.
     */
    public static void prepare() {
        try {
            byte[] buf = new byte[512];
            MessageEncoder encoder = new MessageEncoder();
            LongTermCredentials credentials = LongTermCredentials.answer(
                    new Challenge(ErrorCode.UNAUTHENTICATED, "prepare", "nonce", Optional.empty()), "user", "password");
            int n = encoder.begin(buf, 0, MessageClass.REQUEST, Method.ALLOCATE, TransactionId.random())
                    .addRequestedTransport(RequestedTransport.UDP)
                    .addCredentials(credentials)
                    .addMessageIntegrity(credentials)
                    .finish(true);
            MessageView view = new MessageView();
            view.decode(buf, 0, n);
            credentials.verify(view);
            InetAddress loopback = InetAddress.getLoopbackAddress();
            n = encoder.begin(buf, 0, MessageClass.INDICATION, Method.DATA, TransactionId.random())
                    .addXorPeerAddress(loopback, 9)
                    .addData(buf, 400, 64)
                    .finish(true);
            view.decode(buf, 0, n);
            view.xorPeerAddress().orElseThrow();
            view.data().orElseThrow();
            n = ChannelData.encode(buf, 0, ChannelNumber.MIN, buf, 400, 64, Framing.DATAGRAM);
            new ChannelDataView().decode(buf, 0, n, Framing.DATAGRAM);
            PacketKind.of(buf, 0, n);
        } catch (StunParseException | RuntimeException e) {
            throw new IllegalStateException("the codec refused its own messages", e);
        }
    }

    /** The Allocate request for a UDP relayed address, answering the server's 401 with the login. */
    public Transaction allocate(Schedule schedule) {
        return transaction(
                "allocate", Request.of(Method.ALLOCATE, new RequestedTransport(RequestedTransport.UDP)), schedule);
    }

    /**
     * Takes the answer of {@link #allocate}: the relayed and mapped addresses, the lifetime, the
     * credentials for what follows, and the relayed endpoint. Returns why the answer is unusable,
     * or empty.
     */
    public Optional<String> allocated(Transaction allocate) {
        settled(allocate);
        Response answer = allocate.answer().orElseThrow(() -> new IllegalStateException("not answered: " + allocate));
        Optional<XorRelayedAddress> relayedAttribute = attribute(answer, XorRelayedAddress.class);
        if (relayedAttribute.isEmpty()) {
            return Optional.of("the Allocate success names no XOR-RELAYED-ADDRESS");
        }
        relayedAddress = relayedAttribute.get().socketAddress();
        mappedAddress = attribute(answer, XorMappedAddress.class)
                .map(XorMappedAddress::socketAddress)
                .orElse(null);
        lifetimeSeconds =
                attribute(answer, Lifetime.class).map(Lifetime::seconds).orElse(0L);
        relayed = loop.relayed("relayed on " + server, relayedAddress, this::carry);
        return Optional.empty();
    }

    /** CreatePermission for the IP addresses of {@code peers} (section 9: permissions are per IP address). */
    public Transaction permit(List<InetSocketAddress> peers, Schedule schedule) {
        List<StunAttribute> attributes = new ArrayList<>();
        Set<InetAddress> seen = new HashSet<>();
        for (InetSocketAddress peer : peers) {
            if (seen.add(peer.getAddress())) {
                attributes.add(new XorPeerAddress(peer.getAddress(), peer.getPort()));
            }
        }
        return transaction(
                "permission", new Request(Method.CREATE_PERMISSION, attributes, false, Optional.empty()), schedule);
    }

    /**
     * ChannelBind for {@code peer} on the next free channel (section 12.1; it installs the
     * peer's permission too). Once it succeeds, what is sent to that peer leaves as ChannelData.
     */
    public Transaction bindChannel(InetSocketAddress peer, Schedule schedule) {
        int channel = channelOf.computeIfAbsent(peer, p -> nextChannel++);
        peerOn.put(channel, peer);
        Transaction transaction = transaction(
                String.format("channel 0x%04x", channel),
                Request.of(
                        Method.CHANNEL_BIND,
                        new ChannelNumber(channel),
                        new XorPeerAddress(peer.getAddress(), peer.getPort())),
                schedule);
        binding.put(transaction, channel);
        return transaction;
    }

    /** Refresh with {@code lifetimeSeconds}; 0 releases the allocation (section 7.3). */
    public Transaction refresh(long lifetimeSeconds, Schedule schedule) {
        return transaction(
                lifetimeSeconds == 0 ? "release" : "refresh",
                Request.of(Method.REFRESH, new Lifetime(lifetimeSeconds)),
                schedule);
    }

    /**
     * Takes what a settled request of this allocation teaches: the credentials it ended with (a
     * 438 renews the nonce), a bound channel. Call for every settled transaction of this allocation.
     */
    public void settled(Transaction transaction) {
        if (transaction.request().credentials().isPresent()) {
            credentials = transaction.request().credentials();
        }
        Integer channel = binding.remove(transaction);
        if (channel != null && transaction.answer().isPresent()) {
            boundChannels.add(channel);
        }
    }

    private Transaction transaction(String what, Request request, Schedule schedule) {
        Request signed = credentials.isPresent() ? request.signedWith(credentials.get()) : request;
        Transaction transaction = Transaction.of(what + " on " + server, control, address, signed, schedule);
        login.ifPresent(transaction::answeringChallenges);
        return transaction;
    }

    /** Sends {@code datagram} from the relayed address to {@code peer}: ChannelData on a bound channel, else a Send indication. */
    private void carry(ByteBuffer datagram, InetSocketAddress peer) throws IOException {
        int length = datagram.remaining();
        Integer channel = channelOf.get(peer);
        int n;
        if (channel != null && boundChannels.contains(channel)) {
            datagram.get(out, ChannelData.HEADER_SIZE, length);
            n = ChannelData.writeHeader(out, 0, channel, length, control.framing());
        } else {
            byte[] data = new byte[length];
            datagram.get(data);
            n = encoder.begin(out, 0, MessageClass.INDICATION, Method.SEND, TransactionId.random())
                    .addXorPeerAddress(peer.getAddress(), peer.getPort())
                    .addData(data, 0, length)
                    .finish(true);
        }
        control.send(ByteBuffer.wrap(out, 0, n), address);
        carried++;
    }

    /** What the server sent that answers no request: relayed data for the relayed endpoint, or evidence. */
    private void fromServer(Datagram datagram) {
        byte[] bytes = datagram.bytes();
        switch (PacketKind.of(bytes, 0, bytes.length)) {
            case CHANNEL_DATA -> channelData(bytes);
            case STUN -> stun(bytes);
            case OTHER ->
                unusable("a datagram that is neither STUN nor ChannelData (first byte 0x"
                        + String.format("%02x", bytes.length == 0 ? 0 : bytes[0] & 0xFF) + ") ignored");
        }
    }

    private void channelData(byte[] bytes) {
        try {
            channelView.decode(bytes, 0, bytes.length, control.framing());
        } catch (StunParseException e) {
            unusable("malformed ChannelData ignored (" + e.getMessage() + ")");
            return;
        }
        // RFC 8656 section 12.2: ChannelData may come as soon as the ChannelBind is sent, before its
        // success: the server binds on receipt, and the relayed data can overtake the answer.
        InetSocketAddress peer = peerOn.get(channelView.channelNumber());
        if (peer == null) {
            evidence.accept(String.format(
                    "ChannelData on channel 0x%04x, which natcheck never asked for, ignored",
                    channelView.channelNumber()));
            return;
        }
        int offset = channelView.dataOffset();
        arrive(peer, Arrays.copyOfRange(bytes, offset, offset + channelView.dataLength()));
    }

    private void stun(byte[] bytes) {
        try {
            view.decode(bytes, 0, bytes.length);
        } catch (StunParseException e) {
            unusable("malformed answer ignored (" + e.getMessage() + ")");
            return;
        }
        if (view.cookie() != MessageHeader.MAGIC_COOKIE) {
            unusable("a message without the STUN magic cookie ignored");
            return;
        }
        if (view.messageClass() != MessageClass.INDICATION || view.method() != Method.DATA) {
            unusable("a " + view.messageClass() + " " + view.method() + " that answers none of our requests ignored");
            return;
        }
        if (view.icmp().isPresent()) {
            var icmp = view.icmp().get();
            evidence.accept("the relay reports ICMP type " + icmp.icmpType() + " code " + icmp.icmpCode() + " from "
                    + view.xorPeerAddress()
                            .map(p -> AddressText.format(p.socketAddress()))
                            .orElse("a peer"));
            return;
        }
        if (view.xorPeerAddress().isEmpty() || view.data().isEmpty()) {
            unusable("a Data indication without XOR-PEER-ADDRESS or DATA ignored");
            return;
        }
        arrive(view.xorPeerAddress().get().socketAddress(), view.data().get().value());
    }

    private void arrive(InetSocketAddress peer, byte[] data) {
        if (relayed == null) {
            evidence.accept("relayed data from " + AddressText.format(peer) + " before any allocation ignored");
            return;
        }
        arrived++;
        loop.deliver(relayed, peer, data);
    }

    private void unusable(String what) {
        unusable++;
        evidence.accept(UntrustedText.printable(what));
    }

    private static <T extends StunAttribute> Optional<T> attribute(Response answer, Class<T> kind) {
        return answer.message().attribute(kind);
    }

    /** The server as named. */
    public TurnServer server() {
        return server;
    }

    /** The server's address natcheck talks to. */
    public InetSocketAddress address() {
        return address;
    }

    /** The socket or TCP connection to the server. */
    public Endpoint control() {
        return control;
    }

    /** The relayed address as an endpoint of the loop; empty before {@link #allocated}. */
    public Optional<Endpoint> relayed() {
        return Optional.ofNullable(relayed);
    }

    /** XOR-RELAYED-ADDRESS of the Allocate success; empty before. */
    public Optional<InetSocketAddress> relayedAddress() {
        return Optional.ofNullable(relayedAddress);
    }

    /** XOR-MAPPED-ADDRESS of the Allocate success: this host as the server saw it. */
    public Optional<InetSocketAddress> mappedAddress() {
        return Optional.ofNullable(mappedAddress);
    }

    /** LIFETIME of the Allocate success, seconds; 0 before. */
    public long lifetimeSeconds() {
        return lifetimeSeconds;
    }

    /** The credentials the latest request was signed with, if any. */
    public Optional<Credentials> credentials() {
        return credentials;
    }

    /** Whether a channel to {@code peer} is bound, so data to it leaves as ChannelData. */
    public boolean channelBound(InetSocketAddress peer) {
        Integer channel = channelOf.get(peer);
        return channel != null && boundChannels.contains(channel);
    }

    /** Datagrams from the server that were not STUN, not well-formed, or answered nothing: a sign it is no TURN server. */
    public int unusable() {
        return unusable;
    }

    /** Datagrams sent through the relay. */
    public int carried() {
        return carried;
    }

    /** Datagrams the relay delivered back. */
    public int arrived() {
        return arrived;
    }

    @Override
    public String toString() {
        return "allocation on " + server + (relayedAddress == null ? "" : " at " + AddressText.format(relayedAddress));
    }
}
