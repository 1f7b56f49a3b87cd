package dev.natcheck.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's {@code tracepath} (iputils; the same error-queue method, no root) run in a client
 * namespace, its output read back: the first address that answered at each hop, and the hop at
 * which the destination said "reached".
 *
 * @param hops the address per hop in hop order, "*" where tracepath printed "no reply"
 * @param reachedAt the hop of the first "reached" line, when there was one
 */
record Tracepath(ExecResult result, List<String> hops, OptionalInt reachedAt) {

    /** " 2:  100.64.1.1    0.032ms", " 2:  198.51.100.2   0.060ms reached", " 3:  no reply". */
    private static final Pattern HOP = Pattern.compile("^\\s*(\\d+):\\s+(no reply|\\S+)(.*)$");

    static Tracepath run(LabNetwork net, String destination, int maxHops) {
        ExecResult result = net.exec(
                Role.CLI,
                Duration.ofSeconds(60),
                "tracepath",
                "-n",
                "-4",
                "-m",
                Integer.toString(maxHops),
                destination);
        return parse(result);
    }

    static Tracepath parse(ExecResult result) {
        TreeMap<Integer, String> hops = new TreeMap<>();
        int reached = 0;
        for (String line : result.stdoutLines()) {
            Matcher m = HOP.matcher(line);
            if (!m.matches()) {
                continue; // " 1?: [LOCALHOST] pmtu 1500", "Resume: ..."
            }
            int hop = Integer.parseInt(m.group(1));
            String address = m.group(2).equals("no reply") ? "*" : m.group(2);
            if (!address.equals("*") || !hops.containsKey(hop)) {
                hops.merge(hop, address, (old, now) -> old.equals("*") ? now : old);
            }
            if (m.group(3).contains("reached") && reached == 0) {
                reached = hop;
            }
        }
        List<String> inOrder = new ArrayList<>();
        for (int hop = 1; !hops.isEmpty() && hop <= hops.lastKey(); hop++) {
            inOrder.add(hops.getOrDefault(hop, "*"));
        }
        return new Tracepath(result, inOrder, reached > 0 ? OptionalInt.of(reached) : OptionalInt.empty());
    }
}
