package dev.natcheck.output;

import dev.natcheck.behavior.BehaviorReport;
import dev.natcheck.behavior.BindingLifetime;
import dev.natcheck.behavior.EndpointDependence;
import dev.natcheck.behavior.Rfc3489Type;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/**
 * {@code -o json}: the schema-3 document (schema 1, the --behavior fields, the verdicts for refusals,
 * server errors and unresolved names), field by field as documented
 * in docs/json-schema.md. Adding, renaming or retyping a field needs a schema version bump (docs/design.md §6).
 */
public final class JsonReport implements ReportWriter {

    /** The {@code schema} field's value. */
    public static final int SCHEMA = 3;

    @Override
    public void write(Report report, PrintWriter out) {
        JsonText json = new JsonText().beginObject();
        json.name("schema").value(SCHEMA);
        json.name("probes").beginArray();
        for (Report.Entry entry : report.entries()) {
            json.beginObject();
            json.name("interface").value(entry.interfaceName());
            json.name("family").value(entry.family());
            json.name("local").value(entry.local());
            json.name("transport")
                    .value(entry.outcome().transport().map(t -> t.wireName()).orElse(null));
            json.name("server").value(entry.server().orElse(null));
            json.name("mapped").value(entry.mapped().orElse(null));
            json.name("verdict").value(entry.verdict().name());
            json.name("nat").value(entry.classification().nat().name());
            json.name("mapping_varies_by_destination")
                    .value(entry.outcome().mappingVariesByDestination().orElse(null));
            json.name("rtt_ms").value(entry.rttMillis().orElse(null));
            Optional<BehaviorReport> behavior = entry.behavior();
            json.name("mapping")
                    .value(behavior.flatMap(b -> b.mapping().value())
                            .map(EndpointDependence::wireName)
                            .orElse(null));
            json.name("filtering")
                    .value(behavior.flatMap(b -> b.filtering().value())
                            .map(EndpointDependence::wireName)
                            .orElse(null));
            json.name("hairpin")
                    .value(behavior.flatMap(b -> b.hairpin().value()).orElse(null));
            json.name("alg").value(behavior.flatMap(b -> b.alg().value()).orElse(null));
            json.name("rfc3489_type")
                    .value(behavior.flatMap(b -> b.rfc3489Type().value())
                            .map(Rfc3489Type::token)
                            .orElse(null));
            json.name("binding_lifetime_s")
                    .value(behavior.flatMap(BehaviorReport::lifetime)
                            .flatMap(BindingLifetime::aliveAfter)
                            .map(d -> d.toMillis() / 1000.0)
                            .orElse(null));
            json.name("evidence").beginArray();
            for (String line : entry.evidence()) {
                json.value(line);
            }
            for (String line : behavior.map(BehaviorReport::evidence).orElse(List.of())) {
                json.value(line);
            }
            json.endArray();
            json.endObject();
        }
        json.endArray().endObject();
        out.println(json);
        out.flush();
    }
}
