package dev.natcheck.output;

import dev.natcheck.address.AddressText;
import dev.natcheck.relay.RelayOutcome;
import dev.natcheck.relay.RelayReport;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code natcheck relay -o json}: the relay document, schema {@link #SCHEMA}, field by field as
 * docs/json-schema.md documents it ("natcheck relay"). A change to a field needs a schema bump,
 * as for the main report (docs/design.md §6).
 */
public final class RelayJsonReport {

    /** The {@code relay_schema} field's value. */
    public static final int SCHEMA = 1;

    public void write(RelayReport report, PrintWriter out) {
        OptionalInt fastest = report.fastest();
        JsonText json = new JsonText().beginObject();
        json.name("relay_schema").value(SCHEMA);
        json.name("natcheck_version").value(report.version());
        json.name("time").value(report.finishedAt().toString());
        json.name("credentials").value(report.credentials());
        json.name("interrupted").value(report.interrupted());
        json.name("fastest")
                .value(
                        fastest.isPresent()
                                ? report.outcomes()
                                        .get(fastest.getAsInt())
                                        .server()
                                        .toString()
                                : null);
        json.name("relays").beginArray();
        for (int i = 0; i < report.outcomes().size(); i++) {
            RelayOutcome o = report.outcomes().get(i);
            json.beginObject();
            json.name("relay").value(o.server().toString());
            json.name("transport").value(o.server().transport().wireName());
            json.name("address").value(address(o.address()));
            json.name("result").value(o.result().name());
            json.name("detail").value(o.detail());
            json.name("fastest").value(fastest.isPresent() && fastest.getAsInt() == i);
            json.name("local").value(address(o.local()));
            json.name("mapped").value(address(o.mapped()));
            json.name("relayed").value(address(o.relayed()));
            json.name("lifetime_s");
            if (o.relayed().isPresent()) {
                json.value(o.lifetimeSeconds());
            } else {
                json.value((String) null);
            }
            json.name("allocation_ms")
                    .value(o.allocation().map(RelayJsonReport::millis).orElse(null));
            json.name("server_rtt_ms")
                    .value(o.serverRtt().map(RelayJsonReport::millis).orElse(null));
            json.name("rtt_ms");
            rtt(json, o.rtt());
            json.name("echoes_sent").value(o.echoesSent());
            json.name("echoes_back").value(o.echoesBack());
            json.name("channel_bound").value(o.channelBound());
            json.name("released").value(o.release().name());
            json.name("evidence").beginArray();
            for (String line : o.evidence()) {
                json.value(line);
            }
            json.endArray();
            json.endObject();
        }
        json.endArray();
        json.endObject();
        out.println(json);
        out.flush();
    }

    private static void rtt(JsonText json, List<Duration> samples) {
        if (samples.isEmpty()) {
            json.value((String) null);
            return;
        }
        json.beginObject();
        json.name("min").value(millis(samples.stream().min(Duration::compareTo).orElseThrow()));
        json.name("avg")
                .value(samples.stream().mapToLong(Duration::toNanos).average().orElseThrow() / 1e6);
        json.name("max").value(millis(samples.stream().max(Duration::compareTo).orElseThrow()));
        json.name("samples").value(samples.size());
        json.endObject();
    }

    private static String address(Optional<InetSocketAddress> address) {
        return address.map(AddressText::format).orElse(null);
    }

    private static Double millis(Duration d) {
        return d.toNanos() / 1e6;
    }
}
