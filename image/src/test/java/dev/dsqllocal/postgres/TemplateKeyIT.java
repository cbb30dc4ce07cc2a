package dev.dsqllocal.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The template key must be the same in every JVM run, or a server misses its prepared template and rebuilds it
 * at start-up (seconds). Collections such as Map.of iterate in an order that changes per JVM run, so this test
 * computes the key in several fresh JVMs.
 */
class TemplateKeyIT {

    /** Prints the key for a fixed binaries path; run in child JVMs. */
    public static void main(String[] args) {
        System.out.print(PostgresTemplate.key(Path.of("/opt/postgres-16.15.0")));
    }

    @Test
    void keyIsTheSameInEveryJvmRun() throws Exception {
        Set<String> keys = new HashSet<>();
        for (int run = 0; run < 6; run++) {
            keys.add(keyFromFreshJvm());
        }

        assertThat(keys).hasSize(1);
        assertThat(keys.iterator().next()).matches("[0-9a-f]{16}");
    }

    private static String keyFromFreshJvm() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xshare:off",
                        "-cp",
                        System.getProperty("java.class.path"),
                        TemplateKeyIT.class.getName())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.waitFor()).as("child JVM output: %s", output).isZero();
        return output;
    }
}
