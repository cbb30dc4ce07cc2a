package dev.dsqllocal.storage;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dsqllocal.clusters.ClusterPersistence;
import dev.dsqllocal.clusters.ClusterSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Keeps the control-plane state in {@code state.json}: the domain's clusters and the API's idempotency records,
 * in one document (see {@link StateDocument}). Each part is handed over whole after each change and the document
 * is rewritten: a temporary file is written, forced to disk and renamed over the old one, so after a crash (even
 * {@code kill -9}) the file holds either the previous or the new state, never a torn one.
 */
public final class StateStore implements ClusterPersistence {
    private final Path file;
    private final Path temp;
    private final ObjectMapper json;
    private final boolean durable;
    /** Set while the current thread runs {@link #inOneWrite}: its saves are written once, at the end. */
    private final ThreadLocal<Boolean> deferring = ThreadLocal.withInitial(() -> false);

    private ClusterSnapshot clusters = ClusterSnapshot.empty();
    private Map<String, IdempotencyRecord> idempotency = Map.of();
    private boolean unwritten;

    /** {@code durable=false} (an ephemeral emulator) skips the fsyncs: the data dies with the process anyway. */
    public StateStore(Path directory, boolean durable) {
        this.durable = durable;
        this.file = directory.resolve("state.json");
        this.temp = directory.resolve("state.json.tmp");
        this.json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    public Path file() {
        return file;
    }

    /** Reads the saved state, if any (a first start has none); a torn temporary file is discarded. */
    public synchronized StateStore load() {
        try {
            Files.deleteIfExists(temp);
            if (Files.exists(file)) {
                StateDocument doc = json.readValue(file.toFile(), StateDocument.class);
                clusters = new ClusterSnapshot(
                        doc.clusters(), Optional.ofNullable(doc.defaultClusterId()), doc.initialized());
                idempotency = ordered(doc.idempotency());
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read state " + file + ": " + e.getMessage(), e);
        }
    }

    /** The domain's state as loaded (or last saved). */
    public synchronized ClusterSnapshot clusters() {
        return clusters;
    }

    /** The idempotency records as loaded (or last saved), by key. */
    public synchronized Map<String, IdempotencyRecord> idempotency() {
        return idempotency;
    }

    @Override
    public synchronized void save(ClusterSnapshot snapshot) {
        clusters = snapshot;
        writeUnlessDeferred();
    }

    public synchronized void saveIdempotency(Map<String, IdempotencyRecord> records) {
        idempotency = ordered(records);
        writeUnlessDeferred();
    }

    /**
     * Runs {@code work}, writing what it saved once, when it ends (also when it fails): a request's change and its
     * idempotency record reach the disk together, so a crash cannot keep the one without the other. Saves by other
     * threads meanwhile are written at once, with everything handed over so far.
     */
    public <T> T inOneWrite(Supplier<T> work) {
        if (deferring.get()) {
            return work.get();
        }
        deferring.set(true);
        try {
            return work.get();
        } finally {
            deferring.set(false);
            synchronized (this) {
                if (unwritten) {
                    write();
                }
            }
        }
    }

    private void writeUnlessDeferred() {
        if (deferring.get()) {
            unwritten = true;
        } else {
            write();
        }
    }

    private static Map<String, IdempotencyRecord> ordered(Map<String, IdempotencyRecord> records) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(records));
    }

    private void write() {
        unwritten = false;
        StateDocument doc = new StateDocument(
                StateDocument.SCHEMA_VERSION,
                clusters.defaultClusterId().orElse(null),
                clusters.initialized(),
                clusters.clusters(),
                idempotency);
        try {
            Files.createDirectories(file.getParent());
            byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
            try (FileChannel ch = FileChannel.open(
                    temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(bytes));
                if (durable) {
                    ch.force(true);
                }
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            if (durable) {
                syncDirectory(file.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write state " + file + ": " + e.getMessage(), e);
        }
    }

    /** Makes the rename itself durable (best effort: not every platform lets a directory be opened). */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Durability of the rename is then up to the file system; the file content itself was forced.
        }
    }
}
