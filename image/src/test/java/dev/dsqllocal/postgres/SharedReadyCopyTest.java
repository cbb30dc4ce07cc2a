package dev.dsqllocal.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A template copy left in the cache by one ephemeral emulator is claimed by the next one with a rename. */
class SharedReadyCopyTest {

    @Test
    void nothingToClaimAtFirstThenACopyIsLeftForTheNextClaim(@TempDir Path dir) throws Exception {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Path template = Files.createDirectories(cache.resolve("template-0123456789abcdef"));
        Files.writeString(Files.createDirectories(template.resolve("base")).resolve("1"), "data");
        Files.writeString(template.resolve("PG_VERSION"), "16\n");
        Path clusters = Files.createDirectories(dir.resolve("clusters"));

        try (SharedReadyCopy shared = new SharedReadyCopy(cache, template, ServerUser.current(), clusters)) {
            assertThat(shared.claimInto(clusters.resolve("first")))
                    .as("no copy was left yet")
                    .isFalse();

            Path ready = cache.resolve("ready-template-0123456789abcdef");
            awaitExists(ready);
            assertThat(shared.claimInto(clusters.resolve("second"))).isTrue();

            assertThat(clusters.resolve("second/PG_VERSION")).hasContent("16\n");
            assertThat(clusters.resolve("second/base/1")).hasContent("data");
            assertThat(ready).as("claimed by a rename").doesNotExist();
            awaitExists(ready);
        }
    }

    private static void awaitExists(Path path) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!Files.exists(path) && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(path).as("a ready copy appears in the background").exists();
    }
}
