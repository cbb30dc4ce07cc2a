package dev.dsqllocal.postgres;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One copy of the template kept ready in the cache directory for the next ephemeral emulator on this machine.
 *
 * <p>An ephemeral emulator starts with an empty data directory, so its {@link SpareDataDirectories} have nothing
 * ready and its startup cluster would wait for a full template copy (over a second on a busy disk, the largest
 * part of a fresh start). Instead it claims this copy with one atomic rename and, in the background, leaves a new
 * one for the next start. Emulators sharing the cache race only on renames: whoever renames first wins, the
 * others copy as before. It is used only when the cache and the clusters live on the same file system (a rename
 * cannot cross them; in the Docker image the cache is in the image and the data on a tmpfs, so it stays off).
 * An abandoned copy ({@code *.tmp-*}) is removed by age with the template's other abandoned builds.
 */
final class SharedReadyCopy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedReadyCopy.class);
    private static final String PREFIX = "ready-";

    private final Path cacheDir;
    private final Path ready;
    private final Path template;
    private final ServerUser user;
    private final boolean usable;
    private volatile boolean closed;
    /** Replenishing waits this long, so that its copy does not compete with the emulator's own start-up. */
    private static final long REPLENISH_DELAY_MILLIS = 3_000;

    SharedReadyCopy(Path cacheDir, Path template, ServerUser user, Path clustersRoot) {
        this.cacheDir = cacheDir;
        this.template = template;
        this.user = user;
        // the template directory's name carries its key, so a copy of an older template is never claimed
        this.ready = cacheDir.resolve(PREFIX + template.getFileName());
        this.usable = sameFileStore(cacheDir, clustersRoot);
        if (usable) {
            removeOutdated();
        }
    }

    /** Moves the ready copy to {@code target}; false when there is none, or another emulator took it first. */
    boolean claimInto(Path target) {
        if (!usable || closed) {
            return false;
        }
        try {
            Files.move(ready, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            LOG.debug("could not claim {} ({})", ready, e.toString());
            return false;
        } finally {
            replenishInBackground();
        }
    }

    private void replenishInBackground() {
        Thread thread = new Thread(this::replenish, "postgres-ready-copy");
        thread.setDaemon(true);
        thread.start();
    }

    private void replenish() {
        try {
            Thread.sleep(REPLENISH_DELAY_MILLIS);
        } catch (InterruptedException e) {
            return;
        }
        if (closed || Files.exists(ready)) {
            return;
        }
        Path temp = cacheDir.resolve(ready.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            FileTrees.copyDataDirectory(template, temp, user, PostgresTemplate.NOT_COPIED, () -> closed);
            Files.move(temp, ready, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            // another emulator left one first: ours is not needed
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.debug("could not leave a ready template copy in {} ({})", cacheDir, e.toString());
            }
        } finally {
            try {
                FileTrees.deleteIfExists(temp);
            } catch (IOException e) {
                LOG.debug("could not delete {}", temp, e);
            }
        }
    }

    private void removeOutdated() {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(cacheDir, PREFIX + "*")) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.equals(ready.getFileName().toString()) && !name.contains(".tmp-")) {
                    // Renamed away first: an emulator of that other version may be claiming it right now, and
                    // must get the whole copy or nothing, never one half deleted.
                    Path doomed = cacheDir.resolve(name + ".tmp-" + UUID.randomUUID());
                    try {
                        Files.move(entry, doomed, StandardCopyOption.ATOMIC_MOVE);
                    } catch (NoSuchFileException e) {
                        continue; // claimed or removed by someone else
                    }
                    FileTrees.deleteIfExists(doomed);
                }
            }
        } catch (IOException e) {
            LOG.debug("could not remove outdated ready copies in {} ({})", cacheDir, e.toString());
        }
    }

    private static boolean sameFileStore(Path a, Path b) {
        try {
            return Files.getFileStore(a).equals(Files.getFileStore(b));
        } catch (IOException e) {
            return false;
        }
    }

    /** Abandons a copy in progress (its temp directory is deleted); a finished copy stays for the next start. */
    @Override
    public void close() {
        closed = true;
    }
}
