package dev.dsqllocal.testcontainers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The Docker build context of DSQL Local's image as classpath resources under {@value #ROOT}: the Dockerfile, the
 * server jar, the PostgreSQL archives and scripts, from the artifact {@code dev.dsqllocal:dsql-local:docker-context}
 * (or the image module's build directory in this project's own build). It knows its files and their content hash,
 * and hands them to Testcontainers' {@link ImageFromDockerfile}.
 */
final class ImageBuildContext {
    static final String ROOT = "dev/dsqllocal/docker-context/";

    private static final int EXECUTABLE = 0100755;

    /** The files the Dockerfile copies besides a PostgreSQL archive. */
    private static final List<String> REQUIRED = List.of(
            "Dockerfile", "dsql-local.jar", "bin/healthcheck", "bin/train-cds", "icu-stubdata.c", "java-modules");

    private final ClassLoader loader;

    /** Relative path in the context → size in bytes, in path order (the hash depends on the order). */
    private final SortedMap<String, Long> files;

    private ImageBuildContext(ClassLoader loader, SortedMap<String, Long> files) {
        this.loader = loader;
        this.files = files;
    }

    /** The context found on the class path of {@code loader}; fails with a clear message when it is absent. */
    static ImageBuildContext fromClasspath(ClassLoader loader) {
        URL dockerfile = loader.getResource(ROOT + "Dockerfile");
        if (dockerfile == null) {
            throw new IllegalStateException(
                    "DSQL Local's Docker build context (" + ROOT + "Dockerfile) is not on the"
                            + " classpath, so the image cannot be built here: add dev.dsqllocal:dsql-local:<version> with"
                            + " classifier docker-context (dsql-local-testcontainers depends on it), or use an image that exists");
        }
        try {
            SortedMap<String, Long> files = "jar".equals(dockerfile.getProtocol())
                    ? listJar(dockerfile)
                    : listDirectory(Paths.get(dockerfile.toURI()).getParent());
            return new ImageBuildContext(loader, Collections.unmodifiableSortedMap(files));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list DSQL Local's Docker build context at " + dockerfile, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot list DSQL Local's Docker build context at " + dockerfile, e);
        }
    }

    /** The files of the context, relative to its root, with their sizes. */
    Map<String, Long> files() {
        return files;
    }

    /**
     * SHA-256 over every file's path and content, and the given build arguments: equal only for the same image
     * inputs, so it can name a cached build.
     */
    String contentHash(Map<String, String> buildArgs) {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[1 << 16];
        for (String file : files.keySet()) {
            digest.update(file.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            try (InputStream in = open(file)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + ROOT + file, e);
            }
        }
        new TreeMap<>(buildArgs)
                .forEach((name, value) -> digest.update((name + "=" + value + "\n").getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Adds every file of the context to {@code image}, scripts executable. */
    ImageFromDockerfile addTo(ImageFromDockerfile image) {
        files.forEach((file, size) -> image.withFileFromTransferable(
                file,
                new ClasspathTransferable(loader, ROOT + file, size, file.startsWith("bin/") ? EXECUTABLE : 0100644)));
        return image;
    }

    /** Total size of the context in bytes. */
    long size() {
        return files.values().stream().mapToLong(Long::longValue).sum();
    }

    private InputStream open(String file) throws IOException {
        InputStream in = loader.getResourceAsStream(ROOT + file);
        if (in == null) {
            throw new IOException(ROOT + file + " disappeared from the classpath");
        }
        return in;
    }

    private static SortedMap<String, Long> listJar(URL dockerfile) throws IOException {
        JarURLConnection connection = (JarURLConnection) dockerfile.openConnection();
        connection.setUseCaches(false);
        SortedMap<String, Long> files = new TreeMap<>();
        try (JarFile jar = connection.getJarFile()) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                if (!entry.isDirectory() && entry.getName().startsWith(ROOT)) {
                    files.put(entry.getName().substring(ROOT.length()), entry.getSize());
                }
            }
        }
        return files;
    }

    private static SortedMap<String, Long> listDirectory(Path root) throws IOException {
        SortedMap<String, Long> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                String relative = root.relativize(path).toString().replace('\\', '/');
                files.put(relative, Files.size(path));
            }
        }
        return files;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * The part of the context one architecture's build needs: everything but the other architectures' PostgreSQL
     * archives (~14 MB each, which the daemon would only receive and ignore). Fails clearly when a file the
     * Dockerfile copies is missing, before Docker is asked.
     */
    ImageBuildContext forArchitecture(ImageBuildSettings settings) {
        String archive = settings.postgresArchive();
        for (String file : REQUIRED) {
            if (!files.containsKey(file)) {
                throw new IllegalStateException("DSQL Local's Docker build context on the classpath has no " + file
                        + "; rebuild or re-download dev.dsqllocal:dsql-local:docker-context");
            }
        }
        if (!files.containsKey(archive)) {
            throw new IllegalStateException("DSQL Local's Docker build context on the classpath has no " + archive
                    + " (PostgreSQL for " + settings.targetArch() + "); rebuild or re-download"
                    + " dev.dsqllocal:dsql-local:docker-context");
        }
        SortedMap<String, Long> selected = new TreeMap<>(files);
        selected.keySet().removeIf(file -> file.startsWith("postgres/") && !file.equals(archive));
        return new ImageBuildContext(loader, Collections.unmodifiableSortedMap(selected));
    }
}
