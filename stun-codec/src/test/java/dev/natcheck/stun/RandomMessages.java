package dev.natcheck.stun;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Generates random valid messages, every attribute kind included, from a seeded Random. */
final class RandomMessages {

    private static final Method[] TURN_METHODS = {
        Method.ALLOCATE, Method.REFRESH, Method.SEND, Method.DATA, Method.CREATE_PERMISSION, Method.CHANNEL_BIND
    };

    private final Random random;

    RandomMessages(long seed) {
        this.random = new Random(seed);
    }

    StunMessage next() {
        MessageClass c = MessageClass.values()[random.nextInt(4)];
        Method m = switch (random.nextInt(4)) {
            case 0 -> Method.of(random.nextInt(Method.MAX_CODE + 1));
            case 1 -> TURN_METHODS[random.nextInt(TURN_METHODS.length)];
            default -> Method.BINDING;
        };
        int cookie = random.nextInt(8) == 0 ? random.nextInt() : MessageHeader.MAGIC_COOKIE;
        TransactionId id = new TransactionId(random.nextLong(), random.nextInt());
        List<StunAttribute> attributes = new ArrayList<>();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            attributes.add(attribute());
        }
        if (random.nextInt(3) == 0) {
            attributes.add(new MessageIntegrity(bytes(20)));
            if (random.nextInt(3) == 0) {
                attributes.add(new MessageIntegritySha256(bytes(16 + 4 * random.nextInt(5))));
            }
        }
        if (random.nextBoolean()) {
            attributes.add(Fingerprint.INSTANCE);
        }
        return new StunMessage(c, m, cookie, id, attributes);
    }

    StunAttribute attribute() {
        return switch (random.nextInt(35)) {
            case 0 -> new MappedAddress(address(), port());
            case 1 -> new XorMappedAddress(address(), port());
            case 2 -> new ResponseOrigin(address(), port());
            case 3 -> new OtherAddress(address(), port());
            case 4 -> new AlternateServer(address(), port());
            case 5 -> new SourceAddress(address(), port());
            case 6 -> new ChangedAddress(address(), port());
            case 7 -> new Username(text());
            case 8 -> new Software(text());
            case 9 -> new ErrorCode(300 + random.nextInt(400), text());
            case 10 -> {
                List<Integer> types = new ArrayList<>();
                for (int i = random.nextInt(6); i > 0; i--) {
                    types.add(random.nextInt(0x10000));
                }
                yield new UnknownAttributes(types);
            }
            case 11 -> new ChangeRequest(random.nextBoolean(), random.nextBoolean());
            case 12 -> new ResponsePort(port());
            case 13 -> new Padding(random.nextInt(80));
            case 14 -> new XorPeerAddress(address(), port());
            case 15 -> new XorRelayedAddress(address(), port());
            case 16 -> new ChannelNumber(ChannelNumber.MIN + random.nextInt(0x1000));
            case 17 -> new Lifetime(random.nextInt() & 0xFFFFFFFFL);
            case 18 -> new Data(bytes(random.nextInt(60)));
            case 19 -> new RequestedAddressFamily(family());
            case 20 -> new AdditionalAddressFamily(family());
            case 21 -> new EvenPort(random.nextBoolean());
            case 22 -> new RequestedTransport(random.nextInt(256));
            case 23 -> DontFragment.INSTANCE;
            case 24 -> new ReservationToken(random.nextLong());
            case 25 -> new AddressErrorCode(family(), 300 + random.nextInt(400), text());
            case 26 -> new Icmp(random.nextInt(Icmp.MAX_TYPE + 1), random.nextInt(Icmp.MAX_CODE + 1), random.nextInt());
            case 27 -> new Realm(text());
            case 28 ->
                new Nonce(
                        random.nextBoolean()
                                ? new SecurityFeatures(random.nextInt(0x1000000)).cookie() + text()
                                : text());
            case 29 -> new Userhash(bytes(Userhash.LENGTH));
            case 30 -> passwordAlgorithm();
            case 31 -> {
                List<PasswordAlgorithm> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(passwordAlgorithm());
                }
                yield new PasswordAlgorithms(list);
            }
            default -> raw();
        };
    }

    private PasswordAlgorithm passwordAlgorithm() {
        return random.nextBoolean()
                ? new PasswordAlgorithm(1 + random.nextInt(2))
                : new PasswordAlgorithm(random.nextInt(0x10000), bytes(random.nextInt(9)));
    }

    private RawAttribute raw() {
        int type;
        do {
            type = random.nextInt(0x10000);
        } while (AttributeType.isUnderstood(type));
        return new RawAttribute(type, bytes(random.nextInt(40)));
    }

    private AddressFamily family() {
        return random.nextBoolean() ? AddressFamily.IPV4 : AddressFamily.IPV6;
    }

    private InetAddress address() {
        try {
            return InetAddress.getByAddress(bytes(random.nextBoolean() ? 4 : 16));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private int port() {
        return random.nextInt(0x10000);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** ASCII, Latin, CJK and astral code points, never a lone surrogate. */
    private String text() {
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(30); i > 0; i--) {
            int cp = switch (random.nextInt(4)) {
                case 0 -> 0x20 + random.nextInt(0x5F);
                case 1 -> 0xA0 + random.nextInt(0x700);
                case 2 -> 0x3000 + random.nextInt(0x5000);
                default -> 0x1F300 + random.nextInt(0x300);
            };
            s.appendCodePoint(cp);
        }
        return s.toString();
    }
}
