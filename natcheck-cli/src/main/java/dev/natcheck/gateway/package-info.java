/**
 * Asking the default gateway for its own external address: PCP (RFC 6887), NAT-PMP (RFC 6886)
 * and UPnP IGD (SSDP, the device description, {@code GetExternalIPAddress} over SOAP).
 *
 * <p>{@link dev.natcheck.gateway.GatewaySurvey} asks every IPv4 default gateway at once inside
 * one short budget, beside the STUN probes; {@link dev.natcheck.gateway.PortControl} is the UDP
 * 5351 conversation as a state machine (PCP ANNOUNCE, PCP MAP and its deletion, NAT-PMP as the
 * fallback), {@link dev.natcheck.gateway.UpnpIgdClient} the UPnP side. A gateway's answer, error
 * or silence is evidence for the classifier, never an error of natcheck's.
 */
package dev.natcheck.gateway;
