/**
 * What natcheck's two daemons share on their command lines and at stop: address and duration
 * flag converters, one-line usage errors, and SIGTERM/SIGINT handling that lets {@code main}
 * return and exit 0.
 */
package dev.natcheck.daemon;
