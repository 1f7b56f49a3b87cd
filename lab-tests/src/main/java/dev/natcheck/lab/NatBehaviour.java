package dev.natcheck.lab;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code turnutils_natdiscovery -m -f} concluded (RFC 4787 mapping and filtering
 * behaviour, as RFC 5780 tests it) and the reflexive addresses it was told.
 */
public record NatBehaviour(boolean noNat, Behaviour mapping, Behaviour filtering, List<String> reflexiveAddresses) {

    private static final Pattern REFLEXIVE = Pattern.compile("UDP reflexive addr: (\\S+)");

    public NatBehaviour {
        reflexiveAddresses = List.copyOf(reflexiveAddresses);
    }

    /** RFC 4787 behaviour classes, with the words coturn prints for them. */
    public enum Behaviour {
        ENDPOINT_INDEPENDENT("Endpoint Independent"),
        ADDRESS_DEPENDENT("Address Dependent"),
        ADDRESS_AND_PORT_DEPENDENT("Address and Port Dependent"),
        /** natdiscovery printed no conclusion (no answer, or no RFC 5780 support). */
        UNKNOWN("");

        private final String coturnWords;

        Behaviour(String coturnWords) {
            this.coturnWords = coturnWords;
        }

        static Behaviour find(String output, String kind) {
            // Longest first: "Address Dependent" is inside "Address and Port Dependent" only by
            // luck of wording, so match the whole sentence.
            for (Behaviour b : List.of(ADDRESS_AND_PORT_DEPENDENT, ADDRESS_DEPENDENT, ENDPOINT_INDEPENDENT)) {
                if (output.contains("NAT with " + b.coturnWords + " " + kind + "!")) {
                    return b;
                }
            }
            return UNKNOWN;
        }

        /** Short form for tables: EIM/ADM/APDM, EIF/ADF/APDF. */
        public String abbreviation(String kindLetter) {
            return switch (this) {
                case ENDPOINT_INDEPENDENT -> "EI" + kindLetter;
                case ADDRESS_DEPENDENT -> "AD" + kindLetter;
                case ADDRESS_AND_PORT_DEPENDENT -> "APD" + kindLetter;
                case UNKNOWN -> "?";
            };
        }
    }

    /** Reads natdiscovery's stdout. */
    public static NatBehaviour parse(String output) {
        boolean noNat = output.contains("No NAT!");
        Behaviour mapping = noNat ? Behaviour.ENDPOINT_INDEPENDENT : Behaviour.find(output, "Mapping");
        Behaviour filtering = Behaviour.find(output, "Filtering");
        LinkedHashSet<String> reflexive = new LinkedHashSet<>();
        Matcher m = REFLEXIVE.matcher(output);
        while (m.find()) {
            reflexive.add(m.group(1));
        }
        return new NatBehaviour(noNat, mapping, filtering, new ArrayList<>(reflexive));
    }

    /** The host part of every reflexive address seen (IPv6 "a:b::c:port" has its port cut off). */
    public List<String> reflexiveHosts() {
        return reflexiveAddresses.stream()
                .map(a -> a.substring(0, a.lastIndexOf(':')))
                .distinct()
                .toList();
    }

    public Optional<String> firstReflexiveHost() {
        return reflexiveHosts().stream().findFirst();
    }

    /** "EIM/APDF" or "no NAT/EIF": the form the agreement table uses. */
    public String summary() {
        return (noNat ? "no NAT" : mapping.abbreviation("M")) + "/" + filtering.abbreviation("F");
    }
}
