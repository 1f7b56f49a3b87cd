package dev.natcheck.punch;

import static dev.natcheck.behavior.EndpointDependence.ADDRESS_AND_PORT_DEPENDENT;
import static dev.natcheck.behavior.EndpointDependence.ADDRESS_DEPENDENT;
import static dev.natcheck.behavior.EndpointDependence.ENDPOINT_INDEPENDENT;

import dev.natcheck.behavior.EndpointDependence;
import java.util.Optional;

/** The NAT profiles of the six kinds the lab builds, as behaviour discovery reports them. */
enum Profiles {
    OPEN(profile(false, ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT, new PortPattern(PortAllocation.REUSED, 0))),
    FULL_CONE(profile(true, ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT, new PortPattern(PortAllocation.REUSED, 0))),
    RESTRICTED_CONE(profile(true, ENDPOINT_INDEPENDENT, ADDRESS_DEPENDENT, new PortPattern(PortAllocation.REUSED, 0))),
    PORT_RESTRICTED_CONE(
            profile(true, ENDPOINT_INDEPENDENT, ADDRESS_AND_PORT_DEPENDENT, new PortPattern(PortAllocation.REUSED, 0))),
    SYMMETRIC(profile(
            true, ADDRESS_AND_PORT_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT, new PortPattern(PortAllocation.RANDOM, 0))),
    UDP_BLOCKED(NatProfile.udpBlocked());

    final NatProfile profile;

    Profiles(NatProfile profile) {
        this.profile = profile;
    }

    static NatProfile profile(
            boolean translated, EndpointDependence mapping, EndpointDependence filtering, PortPattern ports) {
        return new NatProfile(true, Optional.of(translated), Optional.of(mapping), Optional.of(filtering), ports);
    }

    /** A symmetric NAT that counts its ports up by {@code step}. */
    static NatProfile sequentialSymmetric(int step) {
        return profile(
                true,
                ADDRESS_AND_PORT_DEPENDENT,
                ADDRESS_AND_PORT_DEPENDENT,
                new PortPattern(PortAllocation.SEQUENTIAL, step));
    }
}
