package dev.natcheck.output;

import dev.natcheck.address.AddressText;
import dev.natcheck.behavior.BehaviorReport;
import dev.natcheck.behavior.BindingLifetime;
import dev.natcheck.behavior.EndpointDependence;
import dev.natcheck.behavior.Rfc3489Type;
import dev.natcheck.classify.OutboundPath;
import dev.natcheck.gateway.GatewayAnswer;
import dev.natcheck.gateway.GatewayReport;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code -o json}: the schema-3 document (schema 1, the --behavior fields, the verdicts for refusals,
 * server errors and unresolved names, the NAT count, the gateway's word and the path), field by field as documented
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
            json.name("nat_layers");
            if (entry.classification().natLayers().isPresent()) {
                json.value(entry.classification().natLayers().getAsInt());
            } else {
                json.value((String) null);
            }
            json.name("gateway");
            writeGateway(json, entry.gateway());
            json.name("path");
            writePath(json, entry.path());
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

    /** The gateway's answer that counts: protocol, address, external address, result; null when not asked. */
    private static void writeGateway(JsonText json, Optional<GatewayReport> gateway) {
        if (gateway.isEmpty()) {
            json.value((String) null);
            return;
        }
        Optional<GatewayAnswer> decisive = gateway.get().decisive();
        json.beginObject();
        json.name("protocol").value(decisive.map(a -> a.protocol().wireName()).orElse(null));
        json.name("address").value(AddressText.format(gateway.get().endpoint().address()));
        json.name("external")
                .value(decisive.flatMap(GatewayAnswer::external)
                        .map(AddressText::format)
                        .orElse(null));
        json.name("result").value(decisive.map(GatewayAnswer::result).orElse(GatewayAnswer.NO_ANSWER));
        json.endObject();
    }

    /** Hop addresses in TTL order, null for a TTL nobody answered; null when the path was not probed. */
    private static void writePath(JsonText json, Optional<OutboundPath> path) {
        if (path.isEmpty()) {
            json.value((String) null);
            return;
        }
        Map<Integer, String> byTtl = new TreeMap<>();
        for (OutboundPath.Hop hop : path.get().hops()) {
            byTtl.putIfAbsent(hop.ttl(), AddressText.format(hop.address()));
        }
        int last = byTtl.isEmpty() ? 0 : ((TreeMap<Integer, String>) byTtl).lastKey();
        json.beginArray();
        for (int ttl = 1; ttl <= last; ttl++) {
            json.value(byTtl.get(ttl));
        }
        json.endArray();
    }
}
