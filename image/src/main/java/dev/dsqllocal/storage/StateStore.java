package dev.dsqllocal.storage;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Keeps the control-plane state in {@code state.json}. Every save writes a temporary file, forces it to disk and
 * renames it over the old one, so after a crash (even {@code kill -9}) the file holds either the previous or the
 * new state, never a torn one. Callers serialise saves (the cluster service saves under its lock).
 */
public final class StateStore {
    private final Path file;
    private final Path temp;
    private final ObjectMapper json;
    private final boolean durable;

    public StateStore(Path directory) {
        this(directory, true);
    }

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

    /** The saved state, or empty on first start. */
    public Optional<ServiceState> load() {
        try {
            Files.deleteIfExists(temp);
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            return Optional.of(json.readValue(file.toFile(), ServiceState.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read state " + file + ": " + e.getMessage(), e);
        }
    }

    public void save(ServiceState state) {
        try {
            Files.createDirectories(file.getParent());
            byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(state);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
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
