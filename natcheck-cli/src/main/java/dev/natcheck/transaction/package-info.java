/**
 * The STUN client transaction engine every STUN conversation of natcheck goes through (the
 * probe's {@code StunUdpStage}, the RFC 5780 tests of {@code behavior}): a
 * {@link dev.natcheck.transaction.Transaction} sends a {@link dev.natcheck.transaction.Request}
 * from an {@link dev.natcheck.transaction.Endpoint} on a {@link dev.natcheck.transaction.Schedule};
 * {@link dev.natcheck.transaction.Transactions} checks every answer, retries after a 420 and
 * settles each with an {@link dev.natcheck.transaction.Outcome}, on a clock it is given;
 * {@link dev.natcheck.transaction.TransactionLoop} runs it over real sockets. See docs/design.md
 * §10.
 */
package dev.natcheck.transaction;
