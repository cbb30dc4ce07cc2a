package dev.dsqllocal.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The operating-system user PostgreSQL runs as, and how processes are launched as that user.
 *
 * <p>PostgreSQL refuses to run as root, and developers' machines and CI often run the emulator as root. Then the
 * servers run as {@code nobody} (uid/gid 65534) through {@code setpriv}, and their data directories belong to
 * {@code nobody}. Otherwise (e.g. the Docker image's unprivileged user) they run as the emulator's own user.
 */
final class ServerUser {
    static final int NOBODY = 65534;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> REACHABLE = PosixFilePermissions.fromString("rwxr-xr-x");

    private final boolean dropPrivileges;
    private final Optional<Path> setpriv;

    private ServerUser(boolean dropPrivileges, Optional<Path> setpriv) {
        this.dropPrivileges = dropPrivileges;
        this.setpriv = setpriv;
    }

    /** Decides for the current process: root runs servers as nobody (and then needs setpriv). */
    static ServerUser current() {
        boolean root = currentUid() == 0;
        Optional<Path> setpriv = findOnPath("setpriv");
        if (root && setpriv.isEmpty()) {
            throw new IllegalStateException("PostgreSQL refuses to run as root and 'setpriv' (util-linux) was not"
                    + " found on PATH to run it as nobody: install util-linux or run the emulator as a non-root user");
        }
        return new ServerUser(root, setpriv);
    }

    boolean dropsPrivileges() {
        return dropPrivileges;
    }

    /**
     * The command line that runs {@code command} as the server user. With setpriv, the child also gets
     * {@code --pdeathsig SIGQUIT} (PostgreSQL's immediate shutdown) so a killed emulator leaves no orphans; setpriv
     * applies it after switching user, because a credential change clears the parent-death signal.
     */
    List<String> command(List<String> command) {
        List<String> full = new ArrayList<>();
        if (setpriv.isPresent()) {
            full.add(setpriv.get().toString());
            if (dropPrivileges) {
                full.add("--reuid=" + NOBODY);
                full.add("--regid=" + NOBODY);
                full.add("--clear-groups");
            }
            full.add("--pdeathsig");
            full.add("SIGQUIT");
        }
        full.addAll(command);
        return full;
    }

    /** Gives a directory or file to the server user (a no-op when the emulator already is that user). */
    void takeOwnership(Path path) throws IOException {
        if (dropPrivileges) {
            Files.setAttribute(path, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** Makes a data directory as PostgreSQL requires it: owned by the server user, mode 0700. */
    void prepareDataDirectory(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, OWNER_ONLY);
        takeOwnership(dir);
    }

    /**
     * Creates the missing directories of {@code dir}, reachable by everyone (a umask of 077 must not lock the server
     * user out of the cache), and fails with a clear message when the server user cannot reach it.
     */
    void createReachableDirectories(Path dir, String what) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        List<Path> missing = new ArrayList<>();
        for (Path p = absolute; p != null && !Files.exists(p); p = p.getParent()) {
            missing.add(0, p);
        }
        for (Path p : missing) {
            try {
                Files.createDirectory(p);
                Files.setPosixFilePermissions(p, REACHABLE);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // created concurrently: fine
            }
        }
        checkReachable(absolute, what);
    }

    /** Fails when the server user cannot traverse every directory leading to {@code dir} and {@code dir} itself. */
    void checkReachable(Path dir, String what) throws IOException {
        Optional<Path> blocking = firstUnreachable(dir);
        if (blocking.isPresent()) {
            throw new IOException("PostgreSQL runs as 'nobody' (uid " + NOBODY + ") because the emulator runs as root,"
                    + " and nobody cannot reach the " + what + " " + dir + ": directory " + blocking.get()
                    + " is not searchable by it (mode " + mode(blocking.get()) + "). Make it searchable"
                    + " (chmod o+x) or choose another directory.");
        }
    }

    /** True when the server user can traverse every existing directory on the way to {@code dir}. */
    boolean canReach(Path dir) {
        try {
            return firstUnreachable(dir).isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private Optional<Path> firstUnreachable(Path dir) throws IOException {
        if (!dropPrivileges) {
            return Optional.empty();
        }
        Path absolute = dir.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return Optional.empty();
        }
        Path real = existing.toRealPath();
        List<Path> chain = new ArrayList<>();
        for (Path p = real; p != null; p = p.getParent()) {
            chain.add(0, p);
        }
        for (Path p : chain) {
            if (!searchableByNobody(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static boolean searchableByNobody(Path dir) throws IOException {
        int mode = (Integer) Files.getAttribute(dir, "unix:mode");
        int uid = (Integer) Files.getAttribute(dir, "unix:uid");
        int gid = (Integer) Files.getAttribute(dir, "unix:gid");
        if (uid == NOBODY) {
            return (mode & 0100) != 0;
        }
        if (gid == NOBODY) {
            return (mode & 0010) != 0;
        }
        return (mode & 0001) != 0;
    }

    private static String mode(Path dir) {
        try {
            return String.format("%03o", ((Integer) Files.getAttribute(dir, "unix:mode")) & 0777);
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static int currentUid() {
        try {
            // /proc/self belongs to the process's effective uid
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return "root".equals(System.getProperty("user.name")) ? 0 : -1;
        }
    }

    private static Optional<Path> findOnPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        Stream<String> dirs =
                Stream.concat(Stream.of(path.split(":")), Stream.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
        return dirs.filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, program))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
