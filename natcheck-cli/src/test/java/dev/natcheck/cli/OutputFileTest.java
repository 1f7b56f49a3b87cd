package dev.natcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.natcheck.probe.InterfaceInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --prometheus-file} on every kind of path, all made in a temporary directory (never the
 * system's own /dev/null): refused before any probing with exit 2 and one line, the path left as
 * it was; a regular or missing file is written atomically.
 */
class OutputFileTest {

    @TempDir
    Path dir;

    /** Counts how often the check asks for the interface list: 0 means no probing started. */
    private final AtomicInteger interfaceLookups = new AtomicInteger();

    private final Environment environment = new Environment(
            List.of(),
            host -> {
                throw new UnknownHostException(host);
            },
            () -> {
                interfaceLookups.incrementAndGet();
                return List.of(new InterfaceInfo("lo", true, true, List.of(InetAddress.getLoopbackAddress())));
            });

    private Run refused(Path path, String reason) {
        Run run = Run.of(environment, "-i", "lo", "-s", "127.0.0.1:9", "--prometheus-file", path.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines())
                .singleElement()
                .asString()
                .startsWith("natcheck: --prometheus-file " + path + ": ")
                .contains(reason)
                .doesNotContain("Exception");
        assertThat(interfaceLookups).as("nothing probed").hasValue(0);
        return run;
    }

    @Test
    void aDirectoryIsRefusedAndLeftAlone() throws Exception {
        Path target = Files.createDirectory(dir.resolve("natcheck.prom"));
        Files.writeString(target.resolve("inside"), "kept");

        refused(target, "is a directory, not a regular file");

        assertThat(Files.readString(target.resolve("inside"))).isEqualTo("kept");
    }

    @Test
    void aFifoIsRefusedAndStaysAFifo() throws Exception {
        Path fifo = dir.resolve("fifo.prom");
        run("mkfifo", fifo.toString());

        refused(fifo, "is a FIFO, not a regular file");

        assertThat(kind(fifo)).isEqualTo("other");
        assertThat(filesIn(dir)).containsExactly(fifo);
    }

    @Test
    void aCharacterDeviceIsRefusedAndStaysADevice() throws Exception {
        assumeTrue(isRoot(), "mknod needs root");
        // The same device as /dev/null (1,3), made here: the system's own is never touched.
        Path device = dir.resolve("null");
        run("mknod", device.toString(), "c", "1", "3");
        FileTime before = Files.getLastModifiedTime(device, LinkOption.NOFOLLOW_LINKS);

        refused(device, "is a character device, not a regular file");

        assertThat(kind(device)).isEqualTo("other");
        assertThat(Files.getLastModifiedTime(device, LinkOption.NOFOLLOW_LINKS)).isEqualTo(before);
    }

    @Test
    void aSocketIsRefused() throws Exception {
        Path socket = dir.resolve("s.prom");
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(socket));

            refused(socket, "is a socket, not a regular file");

            assertThat(kind(socket)).isEqualTo("other");
        }
    }

    @Test
    void aSymbolicLinkIsRefusedAndNeitherTheLinkNorItsTargetChange() throws Exception {
        Path real = Files.writeString(dir.resolve("real.prom"), "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.prom"), real);

        refused(link, "is a symbolic link to " + real + "; ");

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(real);
        assertThat(Files.readString(real)).isEqualTo("old\n");
    }

    @Test
    void aDanglingSymbolicLinkIsRefusedToo() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("dangling.prom"), dir.resolve("nowhere"));

        refused(link, "is a symbolic link");

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(dir.resolve("nowhere")).doesNotExist();
    }

    @Test
    void aFileAsTheDirectoryIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");

        refused(file.resolve("natcheck.prom"), file + " is not a directory");
    }

    @Test
    void aMissingDirectoryIsRefused() {
        refused(dir.resolve("missing/natcheck.prom"), "directory " + dir.resolve("missing") + " does not exist");
    }

    @Test
    void anUnwritableDirectoryIsRefused() throws Exception {
        assumeTrue(!isRoot(), "root writes everywhere");
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            refused(locked.resolve("natcheck.prom"), "cannot create files in " + locked);
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aMissingFileIsCreatedAndARegularOneReplaced() throws Exception {
        Path target = dir.resolve("natcheck.prom");
        for (int round = 0; round < 2; round++) {
            Run run = Run.of(
                    environment,
                    "-i",
                    "lo",
                    "-4",
                    "-s",
                    "127.0.0.1:" + CheckCommandTest.closedUdpPort(),
                    "--tcp-port",
                    String.valueOf(CheckCommandTest.closedTcpPort()),
                    "--timeout",
                    "300ms",
                    "-q",
                    "--prometheus-file",
                    target.toString());

            assertThat(run.err()).isEmpty();
            assertThat(kind(target)).isEqualTo("regular");
            assertThat(Files.readString(target)).contains("natcheck_verdict_info{interface=\"lo\",family=\"ipv4\"");
        }
        assertThat(filesIn(dir)).containsExactly(target);
    }

    private static String kind(Path path) throws IOException {
        BasicFileAttributes attributes =
                Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return attributes.isRegularFile()
                ? "regular"
                : attributes.isDirectory() ? "directory" : attributes.isSymbolicLink() ? "link" : "other";
    }

    private static List<Path> filesIn(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            return files.toList();
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
