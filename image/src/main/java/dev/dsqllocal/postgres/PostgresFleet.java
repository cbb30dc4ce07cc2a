package dev.dsqllocal.postgres;

import dev.dsqllocal.clusters.DatabaseEndpoint;
import dev.dsqllocal.clusters.DatabaseFleet;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real PostgreSQL 16 server per cluster, each on its own data directory {@code <clustersRoot>/<clusterId>}
 * (a copy of the {@link PostgresTemplate}) and its own loopback port.
 *
 * <p>Data directories appear and disappear atomically: a new one is a {@link SpareDataDirectories spare copy}
 * renamed into place, or when none is ready, copied into {@code <id>.tmp-<random>} and renamed; a destroyed one is renamed to {@code <id>.tmp-<random>} before it is deleted. Leftover
 * {@code *.tmp-*} directories are garbage from a crash and are removed when a fleet is created.
 */
public final class PostgresFleet implements DatabaseFleet {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresFleet.class);
    private static final Pattern CLUSTER_ID = Pattern.compile("[a-z0-9]{1,64}");
    private static final String TEMP_MARKER = ".tmp-";

    /*
     * An ephemeral emulator loses its data on exit anyway, so it skips what only protects against an OS crash:
     * noticeably faster DDL and commits. A durable one keeps PostgreSQL's defaults.
     */
    private static final Map<String, String> EPHEMERAL_SETTINGS =
            orderedMap("fsync", "off", "synchronous_commit", "off", "full_page_writes", "off");

    /** Sessions per cluster when nobody says: the gateway's default limit. */
    public static final int DEFAULT_SESSIONS = 1000;

    /**
     * Slots beyond the clients' sessions: PostgreSQL's 3 superuser_reserved_connections and the emulator's own
     * short connections (schema migration, IAM mapping lookups, the dialect's catalog checks).
     */
    static final int INTERNAL_CONNECTIONS = 10;

    /** A limit of 0 (the gateway counts nothing) still needs a bound in PostgreSQL: DSQL's own 10,000. */
    static int maxConnectionsFor(int sessions) {
        return (sessions <= 0 ? 10_000 : sessions) + INTERNAL_CONNECTIONS;
    }

    /** The custom setting the template's SQL reads to know whether the DSQL dialect is off (see PostgresTemplate). */
    static final String DIALECT_SETTING = "dsql_local.dialect";

    /** Milliseconds an asynchronous job stays pending (the template's sys-schema.sql reads it). */
    static final String ASYNC_JOB_DELAY_SETTING = "dsql_local.async_job_delay";

    private final Path clustersRoot;
    private final PostgresInstallation installation;
    private final Map<String, String> serverSettings;
    private final boolean durable;
    private final SpareDataDirectories spares;
    /** Ephemeral fleets only: a template copy left in the cache by an earlier emulator (see SharedReadyCopy). */
    private final Optional<SharedReadyCopy> sharedCopy;

    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    /** Deletes renamed-away data directories in the background: the rename already made the cluster disappear. */
    private final ExecutorService garbageCollector = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "postgres-garbage-collector");
        thread.setDaemon(true);
        return thread;
    });

    private volatile boolean closed;

    /** One cluster's server; its monitor serialises provision and destroy of that cluster. */
    private static final class Slot {
        volatile PostgresServer server;
        boolean removed;
    }

    /**
     * @param clustersRoot where the clusters' data directories live (created if missing)
     * @param cacheDir where the binaries are unpacked and the template is built (see
     *     {@link PostgresInstallation#effectiveCacheDir} for running as root)
     * @param pgHome an existing PostgreSQL 16 installation to use instead of the bundled binaries
     * @param durable false for an ephemeral emulator: fsync, synchronous_commit and full_page_writes are off
     */
    public PostgresFleet(Path clustersRoot, Path cacheDir, Optional<Path> pgHome, boolean durable) throws IOException {
        this(clustersRoot, cacheDir, pgHome, durable, true);
    }

    /**
     * As above; {@code dialect} false ({@code --dialect off}) runs the servers with {@code dsql_local.dialect=off},
     * which turns off what the template does in PostgreSQL for the DSQL dialect (transaction row and size limits,
     * DSQL's {@code version()}).
     */
    public PostgresFleet(Path clustersRoot, Path cacheDir, Optional<Path> pgHome, boolean durable, boolean dialect)
            throws IOException {
        this(clustersRoot, cacheDir, pgHome, durable, SpareDataDirectories.TARGET, dialect ? "latest" : "off");
    }

    /**
     * As above, with the servers' {@code dsql_local.dialect}: {@code off}, {@code latest} or the date of a pinned
     * dialect epoch, from which the template's SQL takes the DSQL limits of that date.
     */
    public PostgresFleet(
            Path clustersRoot, Path cacheDir, Optional<Path> pgHome, boolean durable, String dialectSetting)
            throws IOException {
        this(clustersRoot, cacheDir, pgHome, durable, SpareDataDirectories.TARGET, dialectSetting);
    }

    /** As above with {@code spareCount} template copies kept ready (tests use 0 to spare the disk). */
    PostgresFleet(Path clustersRoot, Path cacheDir, Optional<Path> pgHome, boolean durable, int spareCount)
            throws IOException {
        this(clustersRoot, cacheDir, pgHome, durable, spareCount, "latest");
    }

    PostgresFleet(
            Path clustersRoot,
            Path cacheDir,
            Optional<Path> pgHome,
            boolean durable,
            int spareCount,
            String dialectSetting)
            throws IOException {
        this(clustersRoot, cacheDir, pgHome, durable, spareCount, dialectSetting, DEFAULT_SESSIONS);
    }

    /**
     * The real fleet whose servers each hold {@code sessions} client sessions (the gateway's per-cluster limit):
     * PostgreSQL's {@code max_connections} is that plus {@link #INTERNAL_CONNECTIONS}, so the gateway's 53300
     * comes first and PostgreSQL's own never does.
     */
    public PostgresFleet(
            Path clustersRoot,
            Path cacheDir,
            Optional<Path> pgHome,
            boolean durable,
            String dialectSetting,
            int sessions)
            throws IOException {
        this(clustersRoot, cacheDir, pgHome, durable, SpareDataDirectories.TARGET, dialectSetting, sessions);
    }

    /**
     * As above, with the time an asynchronous job stays pending ({@code dsql_local.async_job_delay}, read by the
     * template's {@code sys-schema.sql}; zero: jobs finish inside their statement, as without this setting).
     */
    public PostgresFleet(
            Path clustersRoot,
            Path cacheDir,
            Optional<Path> pgHome,
            boolean durable,
            String dialectSetting,
            int sessions,
            java.time.Duration asyncJobDelay)
            throws IOException {
        this(
                clustersRoot,
                cacheDir,
                pgHome,
                durable,
                SpareDataDirectories.TARGET,
                dialectSetting,
                sessions,
                asyncJobDelay);
    }

    PostgresFleet(
            Path clustersRoot,
            Path cacheDir,
            Optional<Path> pgHome,
            boolean durable,
            int spareCount,
            String dialectSetting,
            int sessions)
            throws IOException {
        this(clustersRoot, cacheDir, pgHome, durable, spareCount, dialectSetting, sessions, java.time.Duration.ZERO);
    }

    PostgresFleet(
            Path clustersRoot,
            Path cacheDir,
            Optional<Path> pgHome,
            boolean durable,
            int spareCount,
            String dialectSetting,
            int sessions,
            java.time.Duration asyncJobDelay)
            throws IOException {
        this.installation = PostgresInstallation.prepare(cacheDir, pgHome);
        this.clustersRoot = clustersRoot.toAbsolutePath().normalize();
        this.durable = durable;
        Map<String, String> settings = new LinkedHashMap<>(durable ? Map.of() : EPHEMERAL_SETTINGS);
        if (!dialectSetting.equals("latest")) {
            settings.put(DIALECT_SETTING, dialectSetting);
        }
        settings.put("max_connections", Integer.toString(maxConnectionsFor(sessions)));
        if (!asyncJobDelay.isZero()) {
            settings.put(ASYNC_JOB_DELAY_SETTING, Long.toString(asyncJobDelay.toMillis()));
        }
        // CDC streams read committed changes through logical replication slots (one per stream, DSQL allows 5):
        // https://www.postgresql.org/docs/16/logicaldecoding.html
        settings.put("wal_level", "logical");
        // Logical decoding reads only WAL that is flushed; with synchronous_commit off (ephemeral) the WAL writer
        // flushes every wal_writer_delay (200 ms by default), which was most of a CDC record's commit-to-record time.
        settings.put("wal_writer_delay", "10ms");
        this.serverSettings = java.util.Collections.unmodifiableMap(settings);
        ServerUser user = installation.user();
        user.createReachableDirectories(this.clustersRoot, "clusters' data directory");
        removeLeftovers();
        this.spares = new SpareDataDirectories(this.clustersRoot, installation.template(), user, durable, spareCount);
        this.sharedCopy = durable || spareCount == 0
                ? Optional.empty()
                : Optional.of(
                        new SharedReadyCopy(installation.cacheDir(), installation.template(), user, this.clustersRoot));
    }

    @Override
    public DatabaseEndpoint provision(String clusterId) throws IOException {
        checkId(clusterId);
        while (true) {
            checkOpen();
            Slot slot = slots.computeIfAbsent(clusterId, id -> new Slot());
            synchronized (slot) {
                if (slot.removed) {
                    continue; // destroyed meanwhile: start over with a fresh slot
                }
                checkOpen();
                PostgresServer server = slot.server;
                if (server != null && server.isRunning()) {
                    return server.endpoint();
                }
                if (server != null) {
                    LOG.warn("PostgreSQL of cluster {} exited unexpectedly; restarting it", clusterId);
                    slot.server = null;
                }
                Path dataDir = ensureDataDirectory(clusterId);
                PostgresServer started = PostgresServer.start(installation.programs(), dataDir, serverSettings);
                try {
                    SysSchemaMigration.apply(started.port());
                } catch (IOException | RuntimeException e) {
                    started.stop();
                    throw e;
                }
                slot.server = started;
                LOG.debug("cluster {}: PostgreSQL pid {} on port {}", clusterId, slot.server.pid(), slot.server.port());
                return slot.server.endpoint();
            }
        }
    }

    @Override
    public Optional<DatabaseEndpoint> endpoint(String clusterId) {
        Slot slot = slots.get(clusterId);
        PostgresServer server = slot == null ? null : slot.server;
        return server != null && server.isRunning() ? Optional.of(server.endpoint()) : Optional.empty();
    }

    @Override
    public void destroy(String clusterId) throws IOException {
        checkId(clusterId);
        while (true) {
            Slot slot = slots.computeIfAbsent(clusterId, id -> new Slot());
            synchronized (slot) {
                if (slot.removed) {
                    continue;
                }
                try {
                    if (slot.server != null) {
                        slot.server.stop();
                        slot.server = null;
                    }
                    Path dataDir = clustersRoot.resolve(clusterId);
                    if (Files.exists(dataDir)) {
                        // rename first, so a crash halfway through the delete leaves garbage, not a broken cluster
                        Path doomed = clustersRoot.resolve(clusterId + TEMP_MARKER + UUID.randomUUID());
                        Files.move(dataDir, doomed, StandardCopyOption.ATOMIC_MOVE);
                        try {
                            garbageCollector.execute(() -> deleteGarbage(doomed));
                        } catch (java.util.concurrent.RejectedExecutionException e) {
                            deleteGarbage(doomed); // destroy after close: no background deletion any more
                        }
                    }
                } finally {
                    slot.removed = true;
                    slots.remove(clusterId, slot);
                }
                return;
            }
        }
    }

    @Override
    public Set<String> existingClusterIds() throws IOException {
        Set<String> ids = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(clustersRoot)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (CLUSTER_ID.matcher(name).matches() && Files.isDirectory(entry)) {
                    ids.add(name);
                }
            }
        }
        return ids;
    }

    /** Stops every server in parallel, keeping their data. Idempotent. */
    @Override
    public void close() {
        closed = true;
        spares.close();
        sharedCopy.ifPresent(SharedReadyCopy::close);
        List<Thread> stoppers = new ArrayList<>();
        for (Map.Entry<String, Slot> entry : slots.entrySet()) {
            Slot slot = entry.getValue();
            Thread stopper = new Thread(
                    () -> {
                        synchronized (slot) {
                            if (slot.server != null) {
                                slot.server.stop();
                                slot.server = null;
                            }
                        }
                    },
                    "postgres-stop-" + entry.getKey());
            stopper.start();
            stoppers.add(stopper);
        }
        boolean interrupted = false;
        for (Thread stopper : stoppers) {
            while (true) {
                try {
                    stopper.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        garbageCollector.shutdown();
        try {
            if (!garbageCollector.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("deleting destroyed clusters' data took too long; the rest is removed at the next start");
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteGarbage(Path doomed) {
        try {
            FileTrees.deleteIfExists(doomed);
        } catch (IOException e) {
            LOG.warn("could not delete {} ({}); it is removed at the next start", doomed, e.toString());
        }
    }

    /** The clusters' data root (absolute). */
    public Path clustersRoot() {
        return clustersRoot;
    }

    private Path ensureDataDirectory(String clusterId) throws IOException {
        Path dataDir = clustersRoot.resolve(clusterId);
        if (Files.isDirectory(dataDir)) {
            return dataDir;
        }
        if (sharedCopy.isPresent() && sharedCopy.get().claimInto(dataDir)) {
            return dataDir;
        }
        Optional<Path> spare = spares.take();
        if (spare.isPresent()) {
            Files.move(spare.get(), dataDir, StandardCopyOption.ATOMIC_MOVE);
            syncRootIfDurable();
            return dataDir;
        }
        Path temp = clustersRoot.resolve(clusterId + TEMP_MARKER + UUID.randomUUID());
        try {
            FileTrees.copyDataDirectory(
                    installation.template(), temp, installation.user(), PostgresTemplate.NOT_COPIED);
            if (durable) {
                FileTrees.sync(temp);
            }
            Files.move(temp, dataDir, StandardCopyOption.ATOMIC_MOVE);
            syncRootIfDurable();
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + temp + " to " + dataDir + " atomically", e);
        } finally {
            FileTrees.deleteIfExists(temp);
        }
        return dataDir;
    }

    /** Makes the rename that created a data directory itself durable. */
    private void syncRootIfDurable() throws IOException {
        if (durable) {
            FileTrees.force(clustersRoot);
        }
    }

    private void removeLeftovers() throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(clustersRoot, "*" + TEMP_MARKER + "*")) {
            for (Path entry : entries) {
                LOG.info("removing {}, left over from an interrupted create or delete", entry);
                deleteGarbage(entry);
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the PostgreSQL fleet is closed");
        }
    }

    private static void checkId(String clusterId) {
        if (clusterId == null || !CLUSTER_ID.matcher(clusterId).matches()) {
            throw new IllegalArgumentException("not a cluster identifier: " + clusterId);
        }
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
