package dev.dsqllocal.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The server's side of {@code dev/dsqllocal/contract/server-contract.properties}: the ready line, the local endpoint
 * paths and the environment variable names that the Docker image and the Testcontainers module rely on. The module
 * reads the same file (shipped in the image's docker-context artifact), so the strings exist once.
 */
public final class ServerContract {
    /** Classpath location of the contract, the same in the server jar and the docker-context artifact. */
    public static final String RESOURCE = "dev/dsqllocal/contract/server-contract.properties";

    private static final Properties VALUES = load();

    /** Prefix of the log line printed once the server is usable. */
    public static final String READY_LOG_LINE = value("ready.log.line");

    /** {@code GET} answers 200 once the server is ready, 503 before. */
    public static final String HEALTH_PATH = value("health.path");

    /** {@code GET} answers the gateway's CA certificate as PEM. */
    public static final String CA_PATH = value("ca.path");

    private ServerContract() {}

    /** The value of {@code key}; a missing key is a build mistake, so it fails at class initialisation. */
    public static String value(String key) {
        String value = VALUES.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(RESOURCE + " has no value for " + key);
        }
        return value.trim();
    }

    /** Every {@code env.*} entry: the environment variables the module may set. */
    public static Properties all() {
        Properties copy = new Properties();
        copy.putAll(VALUES);
        return copy;
    }

    private static Properties load() {
        try (InputStream in = ServerContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
