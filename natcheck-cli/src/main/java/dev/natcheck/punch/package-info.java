/**
 * {@code natcheck punch}: can two peers reach each other directly, how, and if not why.
 *
 * <p>The signalling: a {@link dev.natcheck.punch.Token} (candidates, the
 * {@link dev.natcheck.punch.NatProfile}, ICE credentials) that {@link dev.natcheck.punch.TokenCodec}
 * writes as one pasteable line. The prediction: {@link dev.natcheck.punch.Strategy}, a pure
 * function of both profiles. See docs/punch.md.
 */
package dev.natcheck.punch;
