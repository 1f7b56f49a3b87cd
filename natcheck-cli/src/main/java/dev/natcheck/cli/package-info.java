/**
 * The {@code natcheck} command line: {@link dev.natcheck.cli.Natcheck} (the check itself, every
 * option of docs/cli.md), {@link dev.natcheck.cli.AsnCommand} ({@code natcheck asn}),
 * {@link dev.natcheck.cli.CompletionCommand} ({@code natcheck completion}), option converters,
 * and {@link dev.natcheck.cli.LocalServers} behind {@code --local}.
 */
package dev.natcheck.cli;
