package dev.natcheck.stun;

/**
 * DONT-FRAGMENT (RFC 8656 §18.9): asks the server to set the DF bit on what it relays to peers.
 * It has no value: its presence is the request.
 */
public record DontFragment() implements StunAttribute {

    /** The one instance; all DONT-FRAGMENT attributes are equal as values. */
    public static final DontFragment INSTANCE = new DontFragment();

    @Override
    public int type() {
        return AttributeType.DONT_FRAGMENT;
    }
}
