package dev.dsqllocal.testcontainers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** This module's version, written into {@code version.properties} by Maven: the default image tag. */
final class ModuleVersion {
    private static final String RESOURCE = "version.properties";

    private ModuleVersion() {}

    static String get() {
        try (InputStream in = ModuleVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the dsql-local-testcontainers jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            if (version.isEmpty() || version.startsWith("${")) {
                throw new IllegalStateException(RESOURCE + " was not filtered by the build: no module version");
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
