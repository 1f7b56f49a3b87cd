package dev.natcheck.stun;

/**
 * One decoded STUN attribute (RFC 8489 §14): a typed record for the attributes this codec
 * understands, {@link RawAttribute} for any other.
 */
public sealed interface StunAttribute
        permits AddressAttribute,
                Username,
                Software,
                ErrorCode,
                UnknownAttributes,
                MessageIntegrity,
                Fingerprint,
                ChangeRequest,
                ResponsePort,
                Padding,
                ChannelNumber,
                Lifetime,
                Data,
                RequestedAddressFamily,
                AdditionalAddressFamily,
                EvenPort,
                RequestedTransport,
                DontFragment,
                ReservationToken,
                AddressErrorCode,
                Icmp,
                Realm,
                Nonce,
                Userhash,
                PasswordAlgorithms,
                PasswordAlgorithm,
                MessageIntegritySha256,
                RawAttribute {

    /** The 16-bit attribute type, one of the {@link AttributeType} constants for typed records. */
    int type();
}
