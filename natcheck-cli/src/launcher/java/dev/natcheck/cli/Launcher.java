package dev.natcheck.cli;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The jar's entry point, compiled for Java 8 so that {@code java -jar natcheck.jar} works with
 * whatever {@code java} is first on the PATH: on Java 25 or newer it runs {@link Natcheck}
 * directly; on an older runtime it finds a JDK 25 ({@code JAVA_HOME}, then {@code /usr/lib/jvm},
 * {@code /Library/Java/JavaVirtualMachines}) and runs the jar again with it, or says what to
 * install. Java 8 API only in this file.
 */
public final class Launcher {

    private static final int REQUIRED = 25;

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        if (feature(System.getProperty("java.specification.version")) >= REQUIRED) {
            try {
                // Reflection: this class is compiled for Java 8 and cannot link to Java 25 classes.
                Class.forName("dev.natcheck.cli.Natcheck").getMethod("main", String[].class)
                        .invoke(null, (Object) args);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
            }
            return;
        }
        String java = findJava();
        if (java == null) {
            System.err.println("natcheck: needs Java " + REQUIRED + " or newer, this is Java "
                    + System.getProperty("java.specification.version") + " (" + System.getProperty("java.home")
                    + "); install a JDK " + REQUIRED + " or set JAVA_HOME to one");
            System.exit(3);
        }
        File jar = new File(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> command = new ArrayList<String>();
        command.add(java);
        command.add("-jar");
        command.add(jar.getPath());
        command.addAll(Arrays.asList(args));
        Process process = new ProcessBuilder(command).inheritIO().start();
        System.exit(process.waitFor());
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
