package dev.natcheck.bench;

import dev.natcheck.stun.AttributeType;
import dev.natcheck.stun.ChannelDataView;
import dev.natcheck.stun.Framing;
import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageEncoder;
import dev.natcheck.stun.MessageView;
import dev.natcheck.stun.Method;
import dev.natcheck.stun.StunParseException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.ice4j.StunException;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.LifetimeAttribute;
import org.ice4j.attribute.XorMappedAddressAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.message.Response;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * natcheck's STUN codec against ice4j, side by side on the same packets: a client decoding the
 * RFC 5769 IPv4 response and reading XOR-MAPPED-ADDRESS, an encoder writing a Binding success
 * with XOR-MAPPED-ADDRESS and FINGERPRINT, a server answering a Binding request, and a TURN client
 * decoding coturn's Allocate success and a ChannelData datagram. Each
 * natcheck method has an ice4j twin producing the same bytes or the same address (checked by
 * CodecBenchmarkTest). Run: {@code java -jar benchmarks/target/benchmarks.jar Codec -prof gc}.
 */
public class CodecBenchmark extends NanosPerOperation {

    static {
        // ice4j adds SOFTWARE "ice4j.org" to every message it encodes unless configured not
        // to; without it both codecs write byte-identical messages. Must precede ice4j's
        // first encode, which loads its Typesafe Config (system properties override it).
        System.setProperty("ice4j.software", "");
    }

    private final byte[] response = Packets.RFC5769_IPV4_RESPONSE.clone();
    private final byte[] request = Packets.BINDING_REQUEST.clone();
    private final byte[] transactionId = Packets.RFC5769_TRANSACTION_ID.clone();
    private final byte[] allocateSuccess = Packets.COTURN_ALLOCATE_SUCCESS.clone();
    private final byte[] channelDataFrame = Packets.CHANNEL_DATA.clone();
    private final ChannelDataView channelData = new ChannelDataView();

    // natcheck: one reusable view, encoder and output buffer per thread, as the server keeps them.
    private final MessageView view = new MessageView();
    private final MessageEncoder encoder = new MessageEncoder();
    private final byte[] address = new byte[16];
    final byte[] out = new byte[1500];

    // ice4j: the same values in the types its API takes.
    private final TransportAddress mapped;
    private final TransportAddress client;
    private final Request ice4jRequest;

    public CodecBenchmark() {
        try {
            mapped = new TransportAddress(
                    InetAddress.getByAddress(Packets.ipv4Bytes(Packets.RFC5769_MAPPED_IPV4)),
                    Packets.RFC5769_MAPPED_PORT,
                    Transport.UDP);
            client = new TransportAddress(
                    InetAddress.getByAddress(Packets.ipv4Bytes(Packets.CLIENT_IPV4)),
                    Packets.CLIENT_PORT,
                    Transport.UDP);
            // createBindingResponse XORs with the id of the request it answers.
            ice4jRequest = MessageFactory.createBindingRequest();
            ice4jRequest.setTransactionID(transactionId);
        } catch (UnknownHostException | StunException e) {
            throw new IllegalStateException("benchmark set-up", e);
        }
    }

    // ---- (a) decode the RFC 5769 IPv4 response and read XOR-MAPPED-ADDRESS ----

    /** Allocation-free: the address bytes and port read straight from the view. */
    @Benchmark
    public long decodeNatcheck() throws StunParseException {
        view.decode(response, 0, response.length);
        int i = view.indexOf(AttributeType.XOR_MAPPED_ADDRESS);
        view.copyAddress(i, address, 0);
        int ip = (address[0] & 0xFF) << 24 | (address[1] & 0xFF) << 16 | (address[2] & 0xFF) << 8 | address[3] & 0xFF;
        return (long) view.addressPort(i) << 32 | ip & 0xFFFFFFFFL;
    }

    /** The record API: an {@link InetSocketAddress}, like ice4j's {@link TransportAddress}. */
    @Benchmark
    public InetSocketAddress decodeNatcheckSocketAddress() throws StunParseException {
        view.decode(response, 0, response.length);
        return view.xorMappedAddress().orElseThrow().socketAddress();
    }

    @Benchmark
    public TransportAddress decodeIce4j() throws StunException {
        Message m = Message.decode(response, 0, response.length);
        XorMappedAddressAttribute a = (XorMappedAddressAttribute) m.getAttribute(Attribute.XOR_MAPPED_ADDRESS);
        return a.getAddress(m.getTransactionID());
    }

    // ---- (b) encode a Binding success with XOR-MAPPED-ADDRESS and FINGERPRINT ----

    @Benchmark
    public int encodeNatcheck() {
        return encoder.begin(out, 0, MessageClass.SUCCESS_RESPONSE, Method.BINDING, transactionId, 0)
                .addXorMappedAddress(Packets.RFC5769_MAPPED_IPV4, Packets.RFC5769_MAPPED_PORT)
                .finish(true);
    }

    /** ice4j has no reusable writer: a message object is built, then encoded into a new array. */
    @Benchmark
    public byte[] encodeIce4j() throws StunException {
        Response r = MessageFactory.createBindingResponse(ice4jRequest, mapped);
        r.setTransactionID(transactionId);
        r.putAttribute(AttributeFactory.createFingerprintAttribute());
        // The StunStack is only read for MESSAGE-INTEGRITY credentials, absent here.
        return r.encode(null);
    }

    // ---- TURN client (RFC 8656): decode coturn's Allocate success, decode ChannelData ----

    /** Allocation-free: the relayed address, its port and the lifetime, read from the view. */
    @Benchmark
    public long decodeAllocateSuccessNatcheck() throws StunParseException {
        view.decode(allocateSuccess, 0, allocateSuccess.length);
        int i = view.indexOf(AttributeType.XOR_RELAYED_ADDRESS);
        view.copyAddress(i, address, 0);
        int ip = (address[0] & 0xFF) << 24 | (address[1] & 0xFF) << 16 | (address[2] & 0xFF) << 8 | address[3] & 0xFF;
        return ((long) view.addressPort(i) << 32 | ip & 0xFFFFFFFFL) ^ view.lifetimeSeconds() << 48;
    }

    @Benchmark
    public long decodeAllocateSuccessIce4j() throws StunException {
        Message m = Message.decode(allocateSuccess, 0, allocateSuccess.length);
        XorMappedAddressAttribute relayed = (XorMappedAddressAttribute) m.getAttribute(Attribute.XOR_RELAYED_ADDRESS);
        TransportAddress a = relayed.getAddress(m.getTransactionID());
        LifetimeAttribute lifetime = (LifetimeAttribute) m.getAttribute(Attribute.LIFETIME);
        return (long) a.getPort() << 32 ^ a.getAddress().hashCode() ^ (long) lifetime.getLifetime() << 48;
    }

    /** Allocation-free: the channel and where the data lies (a relay would now read it in place). */
    @Benchmark
    public int decodeChannelDataNatcheck() throws StunParseException {
        channelData.decode(channelDataFrame, 0, channelDataFrame.length, Framing.DATAGRAM);
        return channelData.channelNumber() + channelData.dataOffset() + channelData.dataLength();
    }

    @Benchmark
    public int decodeChannelDataIce4j() throws StunException {
        org.ice4j.message.ChannelData c =
                org.ice4j.message.ChannelData.decode(channelDataFrame, (char) 0, (char) channelDataFrame.length);
        return c.getChannelNumber() + c.getData().length;
    }

    // ---- server path: decode a Binding request, answer success into a reused buffer ----

    @Benchmark
    public int serveNatcheck() throws StunParseException {
        view.decode(request, 0, request.length);
        if (!view.isBindingRequest() || view.unknownComprehensionRequiredCount() > 0) {
            return -1;
        }
        return encoder.beginResponse(out, 0, MessageClass.SUCCESS_RESPONSE, view)
                .addXorMappedAddress(Packets.CLIENT_IPV4, Packets.CLIENT_PORT)
                .finish(true);
    }

    @Benchmark
    public byte[] serveIce4j() throws StunException {
        Message m = Message.decode(request, 0, request.length);
        if (m.getMessageType() != Message.BINDING_REQUEST) {
            return null;
        }
        Response r = MessageFactory.createBindingResponse((Request) m, client);
        r.setTransactionID(m.getTransactionID());
        r.putAttribute(AttributeFactory.createFingerprintAttribute());
        return r.encode(null);
    }
}
