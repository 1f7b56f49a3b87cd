/**
 * The STUN client transaction engine: every STUN conversation natcheck has goes through it.
 *
 * <p>A {@link dev.natcheck.transaction.Transaction} sends a {@link dev.natcheck.transaction.Request}
 * (any method and attributes, PADDING, short- or long-term credentials) from an
 * {@link dev.natcheck.transaction.Endpoint} and is retransmitted on a
 * {@link dev.natcheck.transaction.Schedule} (RFC 8489 section 6.2.1, with the interval capped so
 * every send fits the time there is); new transactions start at the slots a
 * {@link dev.natcheck.transaction.Pacer} grants (RFC 5780 section 5).
 * {@link dev.natcheck.transaction.Transactions} holds the transactions of a run, checks every
 * datagram against the one transaction its id names (every reason to set one aside is an
 * {@link dev.natcheck.transaction.Ignored.Reason}), retries without PADDING after a 420, measures
 * the time to the answer and settles each transaction with an
 * {@link dev.natcheck.transaction.Outcome}. It reads time from a
 * {@link dev.natcheck.transaction.Clock}, so schedules are tested without sleeping;
 * {@link dev.natcheck.transaction.TransactionLoop} runs it over real sockets, one selector for
 * all, and hands datagrams that answer nothing of ours to the endpoint's own handler.
 *
 * <p>Users: {@code probe.StunUdpStage} (the Binding probe and its second binding) and
 * {@code behavior} (the RFC 5780 tests and the binding lifetime).
 */
package dev.natcheck.transaction;
