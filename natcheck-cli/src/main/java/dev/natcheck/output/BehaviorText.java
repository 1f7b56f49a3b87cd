package dev.natcheck.output;

import dev.natcheck.address.AddressText;
import dev.natcheck.behavior.BehaviorReport;
import dev.natcheck.behavior.EndpointDependence;
import dev.natcheck.behavior.Finding;
import dev.natcheck.behavior.Rfc3489Type;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/** How the RFC 5780 behaviour findings read in the text and brief outputs. */
final class BehaviorText {

    private BehaviorText() {}

    /**
     * The text block under an entry's summary: one line per finding, the reasons, and with
     * {@code verbose} what each test saw.
     */
    static void write(BehaviorReport behavior, boolean verbose, PrintWriter out) {
        StringBuilder heading = new StringBuilder("  behaviour (RFC 5780");
        behavior.server().ifPresent(s -> heading.append(", server ").append(AddressText.format(s)));
        behavior.otherAddress()
                .ifPresent(o -> heading.append(", OTHER-ADDRESS ").append(AddressText.format(o)));
        out.println(heading.append("):"));
        row(out, "mapping", text(behavior.mapping(), EndpointDependence::wireName));
        row(out, "filtering", text(behavior.filtering(), EndpointDependence::wireName));
        row(out, "hairpin", text(behavior.hairpin(), h -> h ? "yes" : "no"));
        row(out, "ALG", text(behavior.alg(), a -> a ? "yes, addresses are rewritten" : "none seen"));
        row(out, "RFC 3489", text(behavior.rfc3489Type(), Rfc3489Type::text));
        behavior.lifetime().ifPresent(l -> row(out, "lifetime", l.describe().replace("binding lifetime: ", "")));
        for (String line : behavior.evidence()) {
            out.println("    - " + line);
        }
        if (verbose) {
            for (String line : behavior.notes()) {
                out.println("    . " + line);
            }
            behavior.rtt()
                    .ifPresent(rtt -> out.println(String.format(
                            Locale.ROOT,
                            "    . round trip %.1f ms, tests took %d ms",
                            rtt.toNanos() / 1e6,
                            behavior.elapsed().toMillis())));
        }
    }

    /** The brief output's five columns: mapping, filtering, hairpin, ALG, RFC 3489 name; "-" without findings. */
    static List<String> columns(Optional<BehaviorReport> behavior) {
        if (behavior.isEmpty()) {
            return List.of("-", "-", "-", "-", "-");
        }
        BehaviorReport b = behavior.get();
        List<String> columns = new ArrayList<>();
        columns.add(token(b.mapping(), EndpointDependence::wireName));
        columns.add(token(b.filtering(), EndpointDependence::wireName));
        columns.add(token(b.hairpin(), h -> h ? "yes" : "no"));
        columns.add(token(b.alg(), a -> a ? "yes" : "no"));
        columns.add(token(b.rfc3489Type(), Rfc3489Type::token));
        return columns;
    }

    private static void row(PrintWriter out, String name, String value) {
        out.println("    " + name + " ".repeat(Math.max(1, 11 - name.length())) + value);
    }

    private static <T> String text(Finding<T> finding, Function<T, String> words) {
        return switch (finding) {
            case Finding.Measured<T> m -> words.apply(m.measured());
            case Finding.Unknown<T> u -> u.reason().text();
        };
    }

    private static <T> String token(Finding<T> finding, Function<T, String> words) {
        return switch (finding) {
            case Finding.Measured<T> m -> words.apply(m.measured());
            case Finding.Unknown<T> u -> u.reason().token();
        };
    }
}
