package dev.natcheck.behavior;

import static org.assertj.core.api.Assertions.assertThat;

/** What discovery must find on loopback, where nothing translates: the same against every server. */
final class OpenLoopback {

    private OpenLoopback() {}

    /** No translation; mapping and filtering endpoint-independent; hairpin; no ALG; RFC 3489 "open". */
    static void assertFound(BehaviorReport report) {
        assertThat(report.translated()).contains(false);
        assertThat(report.mapping().value()).as(report::toString).contains(EndpointDependence.ENDPOINT_INDEPENDENT);
        assertThat(report.filtering().value()).as(report::toString).contains(EndpointDependence.ENDPOINT_INDEPENDENT);
        assertThat(report.hairpin().value()).as(report::toString).contains(true);
        assertThat(report.alg().value()).as(report::toString).contains(false);
        assertThat(report.rfc3489Type().value()).as(report::toString).contains(Rfc3489Type.OPEN);
    }
}
