/**
 * The whoami daemon: a TCP server that writes each client the address it connected from, one
 * line, then closes.
 *
 * <p>{@link dev.natcheck.whoami.WhoamiServer} is the embeddable server (natcheck's {@code --local}
 * mode starts it in-process), configured by a {@link dev.natcheck.whoami.WhoamiConfig};
 * {@link dev.natcheck.whoami.AddressLine} is the wire format; {@link
 * dev.natcheck.whoami.WhoamiCommand} holds the command-line flags of the standalone daemon.
 */
package dev.natcheck.whoami;
