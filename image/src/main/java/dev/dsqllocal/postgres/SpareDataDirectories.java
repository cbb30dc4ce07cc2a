package dev.dsqllocal.postgres;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies of the template kept ready next to the clusters' data directories, so creating a cluster is a rename
 * instead of a copy of ~1000 files (which takes a second or more on a busy disk).
 *
 * <p>A background thread keeps {@link #TARGET} spares (by default). A spare is copied into {@code .spare-<key>-<id>.tmp-<id>}
 * and renamed to {@code .spare-<key>-<id>} when complete, so a crash leaves only garbage the fleet removes. Spares
 * survive a restart when the template key still matches and are deleted when it does not.
 */
final class SpareDataDirectories implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpareDataDirectories.class);
    static final int TARGET = 2;
    private static final String PREFIX = ".spare-";

    private final Path root;
    private final Path template;
    private final ServerUser user;
    private final boolean sync;
    private final int target;
    private final String prefix;
    private final Deque<Path> ready = new ArrayDeque<>();
    private final Thread preparer;
    private volatile boolean closed;
    /** True while the preparer copies a spare (guarded by {@code ready}). */
    private boolean preparing;

    /** Keeps {@code target} spares; {@code sync}: flush each spare to disk before offering it (durable emulators). */
    SpareDataDirectories(Path root, Path template, ServerUser user, boolean sync, int target) throws IOException {
        this.target = target;
        this.root = root;
        this.sync = sync;
        this.template = template;
        this.user = user;
        // the template directory's name carries its key
        this.prefix = PREFIX + template.getFileName().toString().replace("template-", "") + "-";
        adoptOrRemoveExisting();
        this.preparer = new Thread(this::prepareLoop, "postgres-spare-preparer");
        preparer.setDaemon(true);
        preparer.start();
    }

    /** True for names of spare directories (never cluster identifiers: they start with a dot). */
    static boolean isSpare(String name) {
        return name.startsWith(PREFIX);
    }

    /**
     * A complete copy of the template, now owned by the caller, or empty when none is ready. When the preparer is
     * copying one right now, waits for it: a second copy alongside would only make both slower.
     */
    Optional<Path> take() {
        synchronized (ready) {
            while (ready.isEmpty() && preparing && !closed) {
                try {
                    ready.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            Path spare = ready.pollFirst();
            ready.notifyAll(); // wake the preparer to replace it
            return Optional.ofNullable(spare);
        }
    }

    private void adoptOrRemoveExisting() throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, PREFIX + "*")) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(prefix) && !name.contains(".tmp-") && ready.size() < target) {
                    ready.add(entry);
                } else {
                    try {
                        FileTrees.deleteIfExists(entry);
                    } catch (IOException e) {
                        LOG.warn("could not delete the outdated spare {} ({})", entry, e.toString());
                    }
                }
            }
        }
    }

    private void prepareLoop() {
        while (!closed) {
            synchronized (ready) {
                while (!closed && ready.size() >= target) {
                    try {
                        ready.wait();
                    } catch (InterruptedException e) {
                        // closed is checked by the loop
                    }
                }
                if (closed) {
                    return;
                }
                preparing = true;
            }
            String name = prefix + UUID.randomUUID();
            Path temp = root.resolve(name + ".tmp-" + UUID.randomUUID());
            Path spare = root.resolve(name);
            try {
                FileTrees.copyDataDirectory(template, temp, user, PostgresTemplate.NOT_COPIED, () -> closed);
                if (sync) {
                    FileTrees.sync(temp, () -> closed);
                }
                Files.move(temp, spare, StandardCopyOption.ATOMIC_MOVE);
                synchronized (ready) {
                    ready.addLast(spare);
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.warn(
                            "could not prepare a spare PostgreSQL data directory in {}; clusters will be created"
                                    + " by copying the template ({})",
                            root,
                            e.toString());
                }
                closed = true; // stop preparing; take() then copies inline
            } finally {
                synchronized (ready) {
                    preparing = false;
                    ready.notifyAll();
                }
                try {
                    FileTrees.deleteIfExists(temp);
                } catch (IOException e) {
                    LOG.debug("could not delete {}", temp, e);
                }
            }
        }
    }

    /** Stops preparing spares (an unfinished copy is abandoned and deleted); finished spares stay for next time. */
    @Override
    public void close() {
        closed = true;
        synchronized (ready) {
            ready.notifyAll();
        }
        preparer.interrupt();
        try {
            preparer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
