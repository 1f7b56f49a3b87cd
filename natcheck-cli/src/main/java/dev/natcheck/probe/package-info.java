/**
 * Probing: which interfaces to probe, the per-interface state machine
 * ({@link dev.natcheck.probe.ProbeState}: UDP_STUN, TCP_ECHO, CLASSIFY, FAIL_BLOCKED) and the two
 * probes behind it, {@link dev.natcheck.probe.StunUdpStage} (STUN Binding over UDP, with the
 * symmetric-mapping check) and {@link dev.natcheck.probe.TcpEchoStage} (the whoami line over TCP).
 */
package dev.natcheck.probe;
