/**
 * Pure classification: observations of one probe in, a verdict plus human-readable evidence out.
 *
 * <p>{@link dev.natcheck.classify.Classifier} implements the table of docs/design.md §3 row by
 * row; {@link dev.natcheck.classify.AddressScope} says what "public", "private", "shared" mean.
 * Nothing here touches the network.
 */
package dev.natcheck.classify;
