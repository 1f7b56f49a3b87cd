/**
 * The NAT lab harness: builds topologies with {@code lab/netlab.sh}, runs commands and
 * background processes inside their network namespaces, and drives the tools that run there
 * (coturn, the project's servers, the natcheck jar). Every topology is torn down on close.
 */
package dev.natcheck.lab;
