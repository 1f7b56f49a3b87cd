package dev.natcheck.output;

import dev.natcheck.address.AddressText;
import dev.natcheck.classify.NatKind;
import dev.natcheck.classify.Observation;
import dev.natcheck.classify.Reply;
import dev.natcheck.classify.Transport;
import dev.natcheck.classify.Verdict;
import dev.natcheck.gateway.GatewayAnswer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code -o text}, the default: one summary line across all interfaces, a table with one row per
 * interface and family, then per row a headline, the evidence behind its verdict ({@code -v} adds
 * what the probe saw along the way: servers tried, answers ignored, timings), and what the
 * verdict means for the user in plain words.
 */
public final class TextReport implements ReportWriter {

    private static final String[] HEADERS = {"INTERFACE", "FAMILY", "VERDICT", "NAT", "LOCAL", "MAPPED", "VIA", "RTT"};

    private final boolean verbose;

    public TextReport(boolean verbose) {
        this.verbose = verbose;
    }

    @Override
    public void write(Report report, PrintWriter out) {
        TextTable.writePrintable(text -> render(report, text), out);
    }

    private void render(Report report, PrintWriter out) {
        if (report.entries().isEmpty()) {
            out.println("No interface to probe.");
            out.flush();
            return;
        }
        out.println(overall(report));
        out.println();
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (Report.Entry entry : report.entries()) {
            rows.add(new String[] {
                entry.interfaceName(),
                entry.family(),
                entry.verdict().name(),
                entry.classification().nat().name(),
                entry.local(),
                entry.mapped().orElse("-"),
                entry.outcome().transport().map(t -> t.wireName()).orElse("-"),
                entry.rttMillis()
                        .map(ms -> String.format(Locale.ROOT, "%.1f ms", ms))
                        .orElse("-")
            });
        }
        TextTable.write(rows, out);
        for (Report.Entry entry : report.entries()) {
            out.println();
            out.println(entry.interfaceName() + " " + entry.family() + ": " + summary(entry));
            for (String line : layers(entry)) {
                out.println("  " + line);
            }
            for (String line : entry.classification().evidence()) {
                out.println("  - " + line);
            }
            if (entry.outcome().target().loopback() && !entry.serverOnThisHost()) {
                out.println("  - interface " + entry.interfaceName()
                        + " is loopback: this checked servers on this host, not the way to the Internet");
            }
            if (verbose) {
                for (String line : entry.outcome().notes()) {
                    out.println("  . " + line);
                }
            }
            entry.behavior().ifPresent(behavior -> BehaviorText.write(behavior, verbose, out));
            out.println("  What this means: " + Meaning.of(entry));
        }
        out.flush();
    }

    /** One line for the whole run: each verdict in words with the interfaces that got it, best first. */
    static String overall(Report report) {
        Map<Verdict, List<String>> byVerdict = new EnumMap<>(Verdict.class);
        for (Report.Entry entry : report.entries()) {
            byVerdict
                    .computeIfAbsent(entry.verdict(), v -> new ArrayList<>())
                    .add(entry.interfaceName() + " " + entry.family());
        }
        List<String> parts = new ArrayList<>();
        byVerdict.forEach(
                (verdict, where) -> parts.add(Meaning.shortName(verdict) + " (" + String.join(", ", where) + ")"));
        boolean onlyThisHost = report.entries().stream().allMatch(Report.Entry::serverOnThisHost);
        return "Summary: " + String.join("; ", parts)
                + (onlyThisHost ? "; every server was on this host, so this says nothing about the Internet" : "");
    }

    /** The verdict in words, one line, naming what happened rather than a guess at why. */
    static String summary(Report.Entry entry) {
        NatKind nat = entry.classification().nat();
        Observation seen = entry.outcome().observation();
        String mapped = entry.mapped().map(m -> ", seen as " + m).orElse("");
        if (seen.transport().equals(Optional.of(Transport.TCP)) && seen.udp() == Reply.UNUSABLE) {
            mapped += " over TCP (the STUN server answered over UDP, but without an address)";
        }
        if (entry.serverOnThisHost()) {
            mapped += entry.server().map(s -> " by " + s).orElse("")
                    + " (a server on this host: the traffic never left this machine)";
        }
        return switch (entry.verdict()) {
            case NO_NAT -> "no NAT" + mapped;
            case CPE_NAT -> "behind a home router's NAT (CPE)" + mapped;
            case CG_NAT -> "behind carrier-grade NAT (CG-NAT)" + mapped;
            case NAT66 -> "IPv6 address translation (NAT66)" + mapped;
            case SYMMETRIC_NAT -> "symmetric NAT (" + natName(nat) + "): the mapping changes per destination" + mapped;
            case UDP_BLOCKED ->
                (seen.udp() == Reply.REFUSED
                                ? "UDP refused (ICMP port unreachable: no STUN server on that port, "
                                        + "or a firewall rejecting UDP), TCP gets through ("
                                : "UDP gets no answer, TCP gets through (")
                        + natName(nat) + ")" + mapped;
            case BLOCKED -> "nothing answered: " + udpWords(seen.udp()) + ", " + tcpWords(seen.tcp());
            case REFUSED ->
                "refused: UDP (ICMP port unreachable) and TCP (reset) alike, nothing listens there "
                        + "or a firewall rejects it";
            case SERVER_ERROR ->
                "the servers answered without an address (" + udpWords(seen.udp()) + ", " + tcpWords(seen.tcp())
                        + "): the path works, the server is at fault";
            case UNRESOLVED -> "not checked: no server name resolved (DNS failing, no network, or a wrong name)";
        };
    }

    private static String udpWords(Reply udp) {
        return switch (udp) {
            case ADDRESS -> "UDP answered";
            case UNUSABLE -> "a STUN error or an answer without an address over UDP";
            case REFUSED -> "UDP refused (ICMP port unreachable)";
            case SILENT -> "no answer over UDP";
            case NOT_TRIED -> "UDP not tried";
        };
    }

    private static String tcpWords(Reply tcp) {
        return switch (tcp) {
            case ADDRESS -> "TCP answered";
            case UNUSABLE -> "a malformed TCP echo";
            case REFUSED -> "TCP refused (connection reset)";
            case SILENT -> "no answer over TCP";
            case NOT_TRIED -> "TCP not tried";
        };
    }

    /** The NAT count, what the gateway said and the path, one line each where known. */
    static List<String> layers(Report.Entry entry) {
        List<String> lines = new ArrayList<>();
        entry.classification().natLayers().ifPresent(n -> lines.add("NATs in a row: " + n));
        entry.gateway().ifPresent(gateway -> {
            String where = "gateway " + AddressText.format(gateway.endpoint().address()) + ": ";
            Optional<GatewayAnswer> decisive =
                    gateway.decisive().filter(a -> a.answered() || a.external().isPresent());
            lines.add(decisive.map(a -> where + a.protocol().label() + ", "
                            + a.external()
                                    .map(x -> "external address " + AddressText.format(x))
                                    .orElse("no external address")
                            + (a.result().equals(GatewayAnswer.OK) ? "" : " (" + a.result() + ")"))
                    .orElse(where + "no answer ("
                            + String.join(
                                    ", ",
                                    gateway.answers().stream()
                                            .map(a -> a.protocol().label() + " " + a.result())
                                            .toList())
                            + ")"));
        });
        entry.path()
                .ifPresent(path -> lines.add("path: "
                        + (path.hops().isEmpty()
                                ? "no router answered"
                                : String.join(
                                        " -> ",
                                        path.hops().stream()
                                                .map(h -> AddressText.format(h.address()))
                                                .toList()))
                        + path.mappedAddressHop().stream()
                                .mapToObj(hop -> " (the outside address answers at hop " + hop + ")")
                                .findFirst()
                                .orElse("")));
        return lines;
    }

    private static String natName(NatKind nat) {
        return switch (nat) {
            case NONE -> "no NAT";
            case CPE -> "home router NAT";
            case CGNAT -> "carrier-grade NAT";
            case NAT66 -> "NAT66";
            case UNKNOWN -> "NAT unknown";
        };
    }
}
