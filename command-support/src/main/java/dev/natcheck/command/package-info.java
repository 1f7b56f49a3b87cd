/**
 * What every natcheck command ({@code natcheck}, {@code stun-server}, {@code whoami-server})
 * shares on its command line: one duration syntax ({@link dev.natcheck.command.DurationConverter}),
 * IP-literal flags ({@link dev.natcheck.command.IpLiteralConverter}), one-line usage errors with
 * exit status 2 ({@link dev.natcheck.command.OneLineErrors}), help wrapped only at spaces
 * ({@link dev.natcheck.command.UnbrokenHelp}), {@code --version} from the jar
 * manifest ({@link dev.natcheck.command.ManifestVersion}), and, for the daemons, SIGTERM/SIGINT
 * handling that lets {@code main} return and exit 0 ({@link dev.natcheck.command.StopSignals}),
 * {@code ADDR:PORT} flags ({@link dev.natcheck.command.SocketAddressConverter}) and the Prometheus
 * endpoint with {@code NAMESPACE_build_info} ({@link dev.natcheck.command.MetricsServer}).
 */
package dev.natcheck.command;
