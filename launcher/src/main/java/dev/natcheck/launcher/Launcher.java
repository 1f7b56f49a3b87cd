package dev.natcheck.launcher;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * The entry point of natcheck.jar, stun-server.jar and whoami-server.jar, compiled for Java 8 so
 * that {@code java -jar} works with whatever {@code java} is first on the PATH. On Java 25 or
 * newer it calls the jar's real main class directly; on an older runtime it finds a JDK 25
 * ({@code JAVA_HOME}, then {@code /usr/lib/jvm}, {@code /Library/Java/JavaVirtualMachines}) and
 * runs the jar again with it, or says in one line what to install. Java 8 API only in this file.
 *
 * <p>Each jar's manifest names what to run: {@code Launcher-Main-Class} (the Java 25 main class),
 * {@code Launcher-Command} (the name in messages) and {@code Launcher-Failure-Status} (the exit
 * status when no JDK 25 is found: the command's own "internal error" status).
 */
public final class Launcher {

    /** The Java feature version every jar's real main class is compiled for. */
    static final int REQUIRED = 25;

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        Attributes manifest = manifest();
        String mainClass = manifest.getValue("Launcher-Main-Class");
        String command = value(manifest, "Launcher-Command", "natcheck");
        if (mainClass == null) {
            System.err.println(command + ": the jar's manifest names no Launcher-Main-Class");
            System.exit(3);
        }
        if (feature(System.getProperty("java.specification.version")) >= REQUIRED) {
            try {
                // Reflection: this class is compiled for Java 8 and cannot link to Java 25 classes.
                Class.forName(mainClass).getMethod("main", String[].class).invoke(null, (Object) args);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
            }
            return;
        }
        String java = findJava();
        if (java == null) {
            System.err.println(command + ": needs Java " + REQUIRED + " or newer, this is Java "
                    + System.getProperty("java.specification.version") + " (" + System.getProperty("java.home")
                    + "); install a JDK " + REQUIRED + " or set JAVA_HOME to one");
            System.exit(Integer.parseInt(value(manifest, "Launcher-Failure-Status", "3")));
        }
        File jar = new File(Launcher.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        List<String> commandLine = new ArrayList<String>();
        commandLine.add(java);
        commandLine.add("-jar");
        commandLine.add(jar.getPath());
        commandLine.addAll(Arrays.asList(args));
        final Process process = new ProcessBuilder(commandLine).inheritIO().start();
        // Stopped with SIGTERM (a daemon under a service manager): pass the stop on and leave
        // with the child's status, 0 when it stopped cleanly, as if it had been started directly.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            process.destroy();
            try {
                Runtime.getRuntime().halt(process.waitFor());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        System.exit(process.waitFor());
    }

    /** The main attributes of the manifest of the jar this class was loaded from. */
    private static Attributes manifest() throws IOException {
        InputStream in = Launcher.class.getResourceAsStream("/META-INF/MANIFEST.MF");
        if (in == null) {
            return new Attributes();
        }
        try {
            return new Manifest(in).getMainAttributes();
        } finally {
            in.close();
        }
    }

    private static String value(Attributes attributes, String name, String fallback) {
        String value = attributes.getValue(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static String findJava() {
        List<File> homes = new ArrayList<File>();
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null && !javaHome.isEmpty()) {
            homes.add(new File(javaHome));
        }
        for (String parent : new String[] {"/usr/lib/jvm", "/Library/Java/JavaVirtualMachines"}) {
            File[] children = new File(parent).listFiles();
            if (children != null) {
                Arrays.sort(children);
                for (File child : children) {
                    homes.add(child);
                    homes.add(new File(child, "Contents/Home"));
                }
            }
        }
        for (File home : homes) {
            File java = new File(home, "bin/java");
            if (java.canExecute() && releaseFeature(new File(home, "release")) >= REQUIRED) {
                return java.getPath();
            }
        }
        return null;
    }

    /** JAVA_VERSION="25.0.1" from a JDK's release file, as 25; 0 when unreadable. */
    private static int releaseFeature(File release) {
        Properties properties = new Properties();
        try (InputStream in = new FileInputStream(release)) {
            properties.load(in);
        } catch (IOException e) {
            return 0;
        }
        String version = properties.getProperty("JAVA_VERSION", "").replace("\"", "");
        return feature(version);
    }

    /** "1.8" as 8, "17" as 17, "25.0.1" as 25; 0 for anything else. */
    static int feature(String version) {
        if (version == null) {
            return 0;
        }
        String[] parts = version.split("\\.");
        try {
            int first = Integer.parseInt(parts[0]);
            return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
