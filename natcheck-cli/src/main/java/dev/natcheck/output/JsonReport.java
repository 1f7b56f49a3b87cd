package dev.natcheck.output;

import java.io.PrintWriter;

/**
 * {@code -o json}: the schema-1 document of DESIGN.md section 5, field by field as documented
 * in docs/json-schema.md. Adding, renaming or retyping a field needs a schema version bump.
 */
public final class JsonReport implements ReportWriter {

    /** The {@code schema} field's value. */
    public static final int SCHEMA = 1;

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
            json.name("transport").value(entry.outcome().transport().map(t -> t.wireName()).orElse(null));
            json.name("server").value(entry.server().orElse(null));
            json.name("mapped").value(entry.mapped().orElse(null));
            json.name("verdict").value(entry.verdict().name());
            json.name("nat").value(entry.classification().nat().name());
            json.name("mapping_varies_by_destination").value(entry.outcome().mappingVariesByDestination().orElse(null));
            json.name("rtt_ms").value(entry.rttMillis().orElse(null));
            json.name("evidence").beginArray();
            for (String line : entry.evidence()) {
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
