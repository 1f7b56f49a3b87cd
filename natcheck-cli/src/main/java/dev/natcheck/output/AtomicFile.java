package dev.natcheck.output;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Replaces a file in one step: write a temporary file next to it, then rename over it, so a
 * reader (node_exporter scraping its textfile directory) never sees half a file.
 *
 * <p>A rename replaces whatever the name points at, so only a regular file or a missing one is
 * ever replaced: a directory, a device such as {@code /dev/null}, a FIFO or a socket is refused,
 * and so is a symbolic link (the rename would replace the link itself, not write through it).
 * {@link #check} says so before anything is written; {@link #write} checks again.
 */
public final class AtomicFile {

    private AtomicFile() {}

    /** Why a path cannot be written; the message is one line without the path itself. */
    public static final class UnwritableException extends IOException {
        UnwritableException(String message) {
            super(message);
        }
    }

    /**
     * Checks, without writing anything, that {@link #write} can replace {@code target}: its
     * directory exists and is writable, and the name is missing or a regular file.
     *
     * @throws UnwritableException saying why not
     */
    public static void check(Path target) throws UnwritableException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || absolute.getFileName() == null) {
            throw new UnwritableException("is not a file name");
        }
        if (!Files.exists(dir)) {
            throw new UnwritableException("directory " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new UnwritableException(dir + " is not a directory");
        }
        checkKind(absolute);
        if (!Files.isWritable(dir)) {
            throw new UnwritableException("cannot create files in " + dir
                    + " (permission denied or a read-only file system); the new file is written there, then renamed");
        }
    }

    /** Refuses anything but a regular file or nothing at {@code path}, links not followed. */
    private static void checkKind(Path path) throws UnwritableException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new UnwritableException("cannot be examined: " + reason(e));
        }
        if (attributes.isRegularFile()) {
            return;
        }
        if (attributes.isSymbolicLink()) {
            String to;
            try {
                to = " to " + Files.readSymbolicLink(path);
            } catch (IOException e) {
                to = "";
            }
            throw new UnwritableException("is a symbolic link" + to + "; natcheck renames a new file over the name, "
                    + "which would replace the link itself: give the link's target instead");
        }
        String kind = attributes.isDirectory() ? "a directory" : "a " + specialKind(path);
        throw new UnwritableException("is " + kind + ", not a regular file; natcheck renames a new file over the name, "
                + "so it only ever replaces a regular file");
    }

    /** "character device", "FIFO", ... from the file type bits, as far as the platform tells. */
    private static String specialKind(Path path) {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return switch (mode & 0170000) {
                case 0010000 -> "FIFO";
                case 0020000 -> "character device";
                case 0060000 -> "block device";
                case 0140000 -> "socket";
                default -> "special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "special file";
        }
    }

    /**
     * Writes {@code content} to a temporary file in {@code target}'s directory (mode 0644) and
     * renames it over {@code target}.
     *
     * @throws UnwritableException when {@code target} is not a regular file or missing (see {@link #check})
     * @throws IOException when writing or renaming fails; the target is then unchanged
     */
    public static void write(Path target, String content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        checkKind(absolute);
        // node_exporter only reads *.prom files, so a ".tmp" suffix keeps the half-written file invisible.
        Path temp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp");
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            try {
                // createTempFile makes it 0600; the collector usually runs as another user.
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep the default permissions
            }
            // Again just before the rename: the name may have changed since the run started.
            checkKind(absolute);
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** An I/O failure in words, without the exception's class name: "permission denied", "No space left on device". */
    public static String reason(IOException e) {
        if (e instanceof UnwritableException) {
            return e.getMessage();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
