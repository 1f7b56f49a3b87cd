package dev.natcheck.probe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evidence lines a probe collects, in order, with repeats counted rather than repeated: a server
 * that floods bad answers yields one line "... (40 times)", not forty.
 */
public final class Notes {

    private final Map<String, Integer> counts = new LinkedHashMap<>();

    public void add(String note) {
        counts.merge(note, 1, Integer::sum);
    }

    public void addAll(List<String> notes) {
        notes.forEach(this::add);
    }

    public List<String> lines() {
        List<String> lines = new ArrayList<>(counts.size());
        counts.forEach((note, count) -> lines.add(count == 1 ? note : note + " (" + count + " times)"));
        return lines;
    }
}
