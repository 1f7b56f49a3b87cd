package dev.natcheck.cli;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where a password or secret comes from: {@code file:PATH} (its content, one trailing newline
 * dropped) or {@code env:NAME} (an environment variable). Never the value itself on the command
 * line, where {@code ps}, shell history and process accounting would show it.
 */
record SecretSource(Kind kind, String name) {

    /** The two places a secret may come from. */
    enum Kind {
        FILE,
        ENV
    }

    /** Longer than any password or shared secret; a bigger file is the wrong file. */
    static final int MAX_BYTES = 4096;

    SecretSource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    /**
     * Parses {@code file:PATH} or {@code env:NAME}.
     *
     * @throws IllegalArgumentException with a one-line reason for anything else, a bare value first
     */
    static SecretSource parse(String text) {
        if (text.startsWith("file:") && text.length() > "file:".length()) {
            return new SecretSource(Kind.FILE, text.substring("file:".length()));
        }
        if (text.startsWith("env:") && text.length() > "env:".length()) {
            return new SecretSource(Kind.ENV, text.substring("env:".length()));
        }
        throw new IllegalArgumentException("give file:PATH or env:NAME, never the secret itself (the command line"
                + " shows in ps and in shell history)");
    }

    /**
     * The secret.
     *
     * @throws IllegalArgumentException with a one-line reason: unreadable or oversized file,
     *     unset variable, empty value
     */
    String read(Map<String, String> environment) {
        String value;
        if (kind == Kind.ENV) {
            value = environment.get(name);
            if (value == null) {
                throw new IllegalArgumentException("environment variable " + name + " is not set");
            }
        } else {
            Path path = Path.of(name);
            try {
                if (Files.size(path) > MAX_BYTES) {
                    throw new IllegalArgumentException(
                            name + " is larger than " + MAX_BYTES + " bytes: not a password or secret file");
                }
                value = Files.readString(path, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException(name + ": no such file");
            } catch (MalformedInputException e) {
                throw new IllegalArgumentException(name + " is not UTF-8 text");
            } catch (IOException e) {
                throw new IllegalArgumentException(name + ": cannot read: " + e.getMessage());
            }
            value = value.endsWith("\r\n")
                    ? value.substring(0, value.length() - 2)
                    : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException((kind == Kind.ENV ? "environment variable " : "") + name + " is empty");
        }
        return value;
    }

    /** "file:PATH" or "env:NAME": where, never what. */
    @Override
    public String toString() {
        return (kind == Kind.FILE ? "file:" : "env:") + name;
    }
}
