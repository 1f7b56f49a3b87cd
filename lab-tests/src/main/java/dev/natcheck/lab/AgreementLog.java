package dev.natcheck.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Collects topology × client × server × result rows as the tests run, into
 * {@code agreement.tsv} beside the lab logs: the raw material of docs/lab.md's agreement table.
 */
public final class AgreementLog {

    private static boolean started;

    private AgreementLog() {}

    public static synchronized void record(
            Topology topology, Family family, String client, String server, String result) {
        Path file = Path.of(System.getProperty("natcheck.lab.logs", "target/lab-logs"), "agreement.tsv");
        String line = String.join("\t", topology.scriptName(), family.jsonName(), client, server, result) + "\n";
        try {
            Files.createDirectories(file.getParent());
            // Each test run starts the file afresh, so it holds this run's rows only.
            StandardOpenOption mode = started ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
            Files.writeString(
                    file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
            started = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
