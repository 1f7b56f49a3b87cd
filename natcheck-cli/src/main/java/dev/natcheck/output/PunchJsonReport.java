package dev.natcheck.output;

import dev.natcheck.address.AddressText;
import dev.natcheck.behavior.EndpointDependence;
import dev.natcheck.punch.Candidate;
import dev.natcheck.punch.NatProfile;
import dev.natcheck.punch.PeerRequests;
import dev.natcheck.punch.PunchOutcome;
import dev.natcheck.punch.PunchReport;
import dev.natcheck.punch.RelayedRound;
import dev.natcheck.punch.Timeline;
import dev.natcheck.relay.RelayOutcome;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/**
 * {@code natcheck punch ... -o json}: the punch document, schema {@link #SCHEMA}, field by field
 * as docs/punch.md documents it. A change to a field needs a schema bump, as for the main report
 * (docs/design.md §6).
 */
public final class PunchJsonReport {

    /** The {@code punch_schema} field's value. */
    public static final int SCHEMA = 2;

    public void write(PunchReport report, PrintWriter out) {
        JsonText json = new JsonText().beginObject();
        json.name("punch_schema").value(SCHEMA);
        json.name("natcheck_version").value(report.version());
        json.name("time").value(report.finishedAt().toString());
        json.name("checks_started").value(report.checksStarted().toString());
        json.name("side").value(report.side().text());
        json.name("local").beginObject();
        json.name("token").value(report.localToken());
        profile(json, report.local().profile());
        candidates(json, report.local().candidates());
        json.endObject();
        json.name("peer").beginObject();
        profile(json, report.peer().profile());
        candidates(json, report.peer().candidates());
        json.endObject();
        json.name("prediction").beginObject();
        json.name("path").value(report.prediction().path().wireName());
        json.name("port_prediction").value(report.prediction().portPrediction().wireName());
        json.name("symmetric_side")
                .value(report.prediction()
                        .symmetricSide()
                        .map(s -> s == dev.natcheck.punch.Prediction.Side.LOCAL ? "local" : "peer")
                        .orElse(null));
        json.name("birthday").value(report.local().birthday() || report.peer().birthday());
        json.name("reason").value(report.prediction().reason());
        json.endObject();
        PunchOutcome outcome = report.outcome();
        json.name("outcome").beginObject();
        json.name("direct_path").value(outcome.found());
        json.name("as_predicted").value(report.asPredicted());
        path(json, outcome);
        json.name("ending").value(outcome.ending());
        json.endObject();
        PunchOutcome.Counts counts = outcome.counts();
        json.name("counts").beginObject();
        json.name("checks_sent").value(counts.checksSent());
        json.name("probes_sent").value(counts.probesSent());
        json.name("ports_opened").value(counts.portsOpened());
        json.name("checks_answered").value(counts.checksAnswered());
        json.name("answers_received").value(counts.answersReceived());
        json.endObject();
        json.name("ignored").beginObject();
        for (PeerRequests.Reason reason : PeerRequests.Reason.values()) {
            json.name(reason.wireName()).value(outcome.ignored().get(reason));
        }
        json.endObject();
        json.name("timeline").beginArray();
        for (Timeline.Event event : outcome.timeline().events()) {
            json.beginObject();
            json.name("t_ms").value(millis(event.at()));
            json.name("direction").value(event.direction().wireName());
            json.name("what").value(event.what());
            json.name("local").value(event.local().map(AddressText::format).orElse(null));
            json.name("remote").value(event.remote().map(AddressText::format).orElse(null));
            json.name("detail").value(event.detail());
            json.endObject();
        }
        json.endArray();
        json.name("timeline_omitted").value(outcome.timeline().omitted());
        json.name("relays").beginArray();
        for (RelayOutcome relay : report.relays()) {
            json.beginObject();
            json.name("relay").value(relay.server().toString());
            json.name("transport").value(relay.server().transport().wireName());
            json.name("result").value(relay.result().name());
            json.name("detail").value(relay.detail());
            json.name("relayed").value(relay.relayed().map(AddressText::format).orElse(null));
            json.name("rtt_ms")
                    .value(relay.bestRtt().map(PunchJsonReport::millis).orElse(null));
            json.name("released").value(relay.release().name());
            json.endObject();
        }
        json.endArray();
        json.name("relayed");
        if (report.relayed().isEmpty()) {
            json.value((String) null);
        } else {
            RelayedRound round = report.relayed().get();
            PunchOutcome through = round.outcome();
            json.beginObject();
            json.name("relay").value(round.relay().map(Object::toString).orElse(null));
            json.name("relayed_address")
                    .value(round.relayedAddress().map(AddressText::format).orElse(null));
            json.name("path_confirmed").value(through.found());
            path(json, through);
            json.name("ending").value(through.ending());
            json.endObject();
        }
        json.endObject();
        out.println(json);
        out.flush();
    }

    private static void profile(JsonText json, NatProfile profile) {
        json.name("profile").beginObject();
        json.name("udp").value(profile.udpAnswered());
        json.name("translated").value(profile.translated().orElse(null));
        json.name("mapping")
                .value(profile.mapping().map(EndpointDependence::wireName).orElse(null));
        json.name("filtering")
                .value(profile.filtering().map(EndpointDependence::wireName).orElse(null));
        json.name("port_allocation").value(profile.ports().allocation().wireName());
        json.name("port_step").value(profile.ports().step());
        json.name("description").value(profile.describe());
        json.endObject();
    }

    private static void candidates(JsonText json, List<Candidate> candidates) {
        json.name("candidates").beginArray();
        for (Candidate c : candidates) {
            json.beginObject();
            json.name("type").value(c.type().shortName());
            json.name("address").value(AddressText.format(c.address()));
            json.endObject();
        }
        json.endArray();
    }

    /** The path's fields of a round: our socket, the peer's address, who nominated, when, and its round trips. */
    private static void path(JsonText json, PunchOutcome outcome) {
        json.name("local")
                .value(outcome.path().map(p -> AddressText.format(p.local())).orElse(null));
        json.name("remote")
                .value(outcome.path().map(p -> AddressText.format(p.remote())).orElse(null));
        json.name("remote_type")
                .value(outcome.path().map(p -> p.remoteType().shortName()).orElse(null));
        json.name("nominated_by")
                .value(outcome.path()
                        .map(p -> p.weNominated() ? "local" : "peer")
                        .orElse(null));
        json.name("confirmed_ms")
                .value(outcome.confirmedAfter().map(PunchJsonReport::millis).orElse(null));
        json.name("rtt_ms");
        List<Duration> rtt = outcome.rtt();
        if (rtt.isEmpty()) {
            json.value((String) null);
        } else {
            json.beginObject();
            json.name("min").value(millis(rtt.stream().min(Duration::compareTo).orElseThrow()));
            json.name("avg")
                    .value(rtt.stream().mapToLong(Duration::toNanos).average().orElseThrow() / 1e6);
            json.name("max").value(millis(rtt.stream().max(Duration::compareTo).orElseThrow()));
            json.name("samples").value(rtt.size());
            json.endObject();
        }
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }
}
