/**
 * STUN message codec (RFC 8489/5389 with long-term credentials, RFC 5780 attributes, TURN's
 * RFC 8656 methods, attributes and ChannelData, RFC 3489 legacy on read), one file per concept:
 * {@link dev.natcheck.stun.MessageView} decodes strictly and without allocation,
 * {@link dev.natcheck.stun.MessageEncoder} writes into a caller's buffer,
 * {@link dev.natcheck.stun.StunMessage} is the immutable record form,
 * {@link dev.natcheck.stun.ChannelDataView} and {@link dev.natcheck.stun.ChannelData} do the same
 * for ChannelData, {@link dev.natcheck.stun.LongTermCredentials} answers a server's challenge, and
 * {@link dev.natcheck.stun.StunParseException} is the only exception decoding throws. Usage
 * examples are in the module README; RFC coverage in docs/protocol.md.
 */
package dev.natcheck.stun;
