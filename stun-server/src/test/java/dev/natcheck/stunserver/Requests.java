package dev.natcheck.stunserver;

import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageEncoder;
import dev.natcheck.stun.MessageView;
import dev.natcheck.stun.Method;
import dev.natcheck.stun.StunParseException;
import dev.natcheck.stun.TransactionId;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/** Binding requests built with the codec, as natcheck's and other clients send them. */
final class Requests {

    /** Enough PADDING that any answer of this server fits in the request (no amplification). */
    static final int ROOM = 160;

    private Requests() {}

    /** A Binding request with the attributes {@code body} adds, FINGERPRINT if asked. */
    static byte[] binding(TransactionId id, UnaryOperator<MessageEncoder> body, boolean fingerprint) {
        byte[] buf = new byte[70_000];
        MessageEncoder e = new MessageEncoder().begin(buf, 0, MessageClass.REQUEST, Method.BINDING, id);
        int n = body.apply(e).finish(fingerprint);
        return Arrays.copyOf(buf, n);
    }

    /** A padded Binding request: what natcheck sends so the answer is never larger. */
    static byte[] padded(TransactionId id) {
        return binding(id, e -> e.addPadding(ROOM), true);
    }

    /** The plain 20-byte Binding request most third-party clients send. */
    static byte[] plain(TransactionId id) {
        return binding(id, e -> e, false);
    }

    static MessageView decode(byte[] bytes) throws StunParseException {
        MessageView view = new MessageView();
        view.decode(bytes);
        return view;
    }
}
