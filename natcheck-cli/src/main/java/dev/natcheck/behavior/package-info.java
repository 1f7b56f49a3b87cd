/**
 * RFC 5780 NAT behaviour discovery ({@code natcheck --behavior}): how a NAT maps and filters,
 * whether it hairpins, whether a generic ALG rewrites addresses, how long idle bindings live, and
 * the RFC 3489 name for the combination.
 *
 * <p>Entry points: {@link dev.natcheck.behavior.BehaviorSurvey} (a whole run) and
 * {@link dev.natcheck.behavior.BehaviorDiscovery} (one address against a server list: the test
 * sequencing). The rules, each a pure function with a table-driven test:
 * {@link dev.natcheck.behavior.MappingRule} (section 4.3),
 * {@link dev.natcheck.behavior.FilteringRule} (section 4.4, with the rules that keep loss from
 * looking like filtering), {@link dev.natcheck.behavior.HairpinRule} (3.4),
 * {@link dev.natcheck.behavior.AlgRule} (3.6), {@link dev.natcheck.behavior.Rfc3489Type#derive}.
 * The wire is the STUN client transaction engine, {@link dev.natcheck.transaction}: one
 * {@code TransactionLoop} for all transactions of a run, the {@code Schedule} shapes (before and
 * after the round trip is known) and the {@code Pacer} (RFC 5780 section 5: at most ten new
 * transactions a second). {@code LifetimeDiscovery} is section 4.6 ({@code --lifetime}). See docs/behavior.md.
 */
package dev.natcheck.behavior;
