package dev.dsqllocal.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The Java modules the image's jlink step links (docker/java-modules) are what jdeps finds in the image's server jar,
 * minus java.desktop and plus jdk.crypto.ec (see the Dockerfile for why): a new dependency that needs another module
 * fails here, in `mvn verify`, instead of in a container.
 */
class JavaModulesIT {

    @Test
    void theListedModulesAreWhatJdepsFindsInTheServerJar() throws Exception {
        Path context = Path.of(System.getProperty("dsql.context.dir"));
        Path jar = context.resolve("dsql-local.jar");
        assertThat(jar).exists();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new IllegalStateException("jdeps is missing: run the build with a JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = jdeps.run(
                new PrintWriter(out),
                new PrintWriter(err),
                "--print-module-deps",
                "--ignore-missing-deps",
                "--multi-release",
                "17",
                jar.toString());
        assertThat(status).as(err.toString()).isZero();

        TreeSet<String> expected =
                new TreeSet<>(Arrays.asList(out.toString().trim().split(",")));
        expected.remove("java.desktop");
        expected.add("jdk.crypto.ec");
        TreeSet<String> listed = new TreeSet<>(Arrays.asList(
                Files.readString(context.resolve("java-modules")).trim().split(",")));
        assertThat(listed).as("image/docker/java-modules").isEqualTo(expected);
    }
}
