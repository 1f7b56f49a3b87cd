/**
 * The Linux socket calls Java lacks, through the FFM API and nothing else: batched UDP with
 * {@code recvmmsg}/{@code sendmmsg} ({@link dev.natcheck.linux.LinuxUdp}, the layouts in
 * {@link dev.natcheck.linux.Msghdr} and {@link dev.natcheck.linux.Sockaddr}), used by the STUN
 * server's batched receive loops and the load generator; and a UDP socket that reads the ICMP
 * errors its datagrams cause from the socket error queue ({@code IP_RECVERR},
 * {@code MSG_ERRQUEUE}) with a TTL per datagram ({@link dev.natcheck.linux.ErrorQueueSocket},
 * its entries {@link dev.natcheck.linux.QueuedError} and
 * {@link dev.natcheck.linux.ExtendedError}), used by natcheck's path probe.
 *
 * <p>Everything here needs Linux on x86-64 or AArch64 and native access
 * ({@code --enable-native-access=ALL-UNNAMED}, or {@code Enable-Native-Access: ALL-UNNAMED} in
 * an executable jar's manifest); {@link dev.natcheck.linux.LinuxUdp#AVAILABLE} says whether it
 * can run, and {@link dev.natcheck.linux.LinuxUdp#UNAVAILABLE_REASON} why not, without linking
 * anything (so without the JDK's warning) where it cannot. Parsing
 * ({@link dev.natcheck.linux.QueuedError#parse}) needs neither.
 */
package dev.natcheck.linux;
