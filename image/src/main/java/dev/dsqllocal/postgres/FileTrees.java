package dev.dsqllocal.postgres;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Copying and deleting directory trees (data directories, the template). */
final class FileTrees {
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> READABLE_DIRECTORY = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> READABLE_FILE = PosixFilePermissions.fromString("rw-r--r--");

    private FileTrees() {}

    /**
     * Copies a template data directory to {@code target} (which must not exist) with the modes PostgreSQL uses
     * (0700 directories, 0600 files), owned by the server user. Top-level {@code skip} names are left out.
     */
    static void copyDataDirectory(Path source, Path target, ServerUser user, Set<String> skip) throws IOException {
        copyDataDirectory(source, target, user, skip, () -> false);
    }

    /** As above, giving up (with an incomplete copy the caller deletes) as soon as {@code cancelled} says so. */
    static void copyDataDirectory(
            Path source, Path target, ServerUser user, Set<String> skip, java.util.function.BooleanSupplier cancelled)
            throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (cancelled.getAsBoolean()) {
                    throw new java.io.InterruptedIOException("copy of " + source + " cancelled");
                }
                Path copy = target.resolve(source.relativize(dir).toString());
                Files.createDirectory(copy);
                Files.setPosixFilePermissions(copy, DIRECTORY);
                user.takeOwnership(copy);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (file.getParent().equals(source)
                        && skip.contains(file.getFileName().toString())) {
                    return FileVisitResult.CONTINUE;
                }
                Path copy = target.resolve(source.relativize(file).toString());
                if (attrs.isSymbolicLink()) {
                    Files.createSymbolicLink(copy, Files.readSymbolicLink(file));
                } else {
                    Files.copy(file, copy);
                    Files.setPosixFilePermissions(copy, FILE);
                }
                user.takeOwnership(copy);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Flushes every file and directory of a tree to disk. A durable emulator does this for a fresh data directory
     * before using it: otherwise an OS crash could lose files of a cluster that was reported created, and the
     * server's own first fsync would have to wait for all of them anyway.
     */
    static void sync(Path root) throws IOException {
        sync(root, () -> false);
    }

    /** As above, giving up as soon as {@code cancelled} says so. */
    static void sync(Path root, java.util.function.BooleanSupplier cancelled) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (cancelled.getAsBoolean()) {
                    throw new java.io.InterruptedIOException("sync of " + root + " cancelled");
                }
                if (attrs.isRegularFile()) {
                    force(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                force(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** fsync of one file or directory (Linux lets a directory be opened read-only and forced). */
    static void force(Path path) throws IOException {
        try (java.nio.channels.FileChannel channel =
                java.nio.channels.FileChannel.open(path, java.nio.file.StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Makes a tree readable by every user (the template is only ever copied, never started again). */
    static void makeReadableByAll(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.setPosixFilePermissions(dir, READABLE_DIRECTORY);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!attrs.isSymbolicLink()) {
                    Files.setPosixFilePermissions(file, READABLE_FILE);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Deletes a tree (not following links); a missing tree is fine. */
    static void deleteIfExists(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void delete(Path path) throws IOException {
        Files.deleteIfExists(path);
    }
}
