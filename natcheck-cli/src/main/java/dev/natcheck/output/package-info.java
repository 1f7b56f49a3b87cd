/**
 * The four output formats of {@code -o}: {@link dev.natcheck.output.TextReport} (a table and a
 * summary per interface and family), {@link dev.natcheck.output.JsonReport} (its schema and
 * version: docs/json-schema.md), {@link dev.natcheck.output.BriefReport} (tab-separated, for pipes) and
 * {@link dev.natcheck.output.PrometheusReport} (node_exporter textfile format), all reading one
 * {@link dev.natcheck.output.Report}.
 */
package dev.natcheck.output;
