package dev.dsqllocal.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.testcontainers.utility.DockerImageName;

/** What a user sees, and how fast, when the image can be neither found, pulled nor built. */
class ImageFailuresIT {
    private static final DockerImageName DEFAULT = DsqlContainer.DEFAULT_IMAGE_NAME.withTag(DsqlContainer.DEFAULT_TAG);

    @Test
    void aWrongImageNameSaysItIsNeitherHereNorPullableWithinSeconds() {
        DsqlContainer dsql = new DsqlContainer(DockerImageName.parse("dsqllocal/dsql-local:no-such-tag"));
        long started = System.nanoTime();
        Throwable failure = catchThrowable(dsql::start);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        assertThat(failure)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dsqllocal/dsql-local:no-such-tag is not on this machine and could not be pulled")
                .hasMessageContaining("new DsqlContainer() without an image name");
    }

    @Test
    void aFailedBuildSaysWhatFailedAndWhatToDoAndIsNotRetried() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String missingJdk = "localhost:1/no-such-jdk-" + run + ":17";
        String previous = System.setProperty(ImageBuildSettings.JDK_IMAGE_PROPERTY, missingJdk);
        try {
            DsqlImage image = new DsqlImage(
                    DEFAULT,
                    DEFAULT,
                    name -> DockerImageName.parse("localhost:1/mirror-" + run + "/dsql-local:" + name.getVersionPart()),
                    getClass().getClassLoader(),
                    "localhost/dsql-local-failed-build-test-" + run);
            long started = System.nanoTime();
            Throwable failure = catchThrowable(image::get);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
            assertThat(failure)
                    .isInstanceOf(DsqlImage.UnavailableException.class)
                    .hasMessageContaining("Building the DSQL Local image localhost/dsql-local-failed-build-test-" + run)
                    .hasMessageContaining("JDK_IMAGE=" + missingJdk)
                    .hasMessageContaining("DSQL_LOCAL_JDK_IMAGE")
                    .hasMessageContaining("could not be pulled either");
            // Testcontainers asks again while it reports the failure: the same answer, without a second build.
            long again = System.nanoTime();
            assertThat(catchThrowable(image::get)).isSameAs(failure);
            assertThat(Duration.ofNanos(System.nanoTime() - again)).isLessThan(Duration.ofSeconds(1));
        } finally {
            if (previous == null) {
                System.clearProperty(ImageBuildSettings.JDK_IMAGE_PROPERTY);
            } else {
                System.setProperty(ImageBuildSettings.JDK_IMAGE_PROPERTY, previous);
            }
        }
    }

    @Test
    void onlyAmd64AndArm64EnginesCanBuildTheImage() {
        assertThat(ImageBuildSettings.targetArch("x86_64")).isEqualTo("amd64");
        assertThat(ImageBuildSettings.targetArch("aarch64")).isEqualTo("arm64");
        assertThatThrownBy(() -> ImageBuildSettings.targetArch("s390x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("linux/amd64 and linux/arm64 only")
                .hasMessageContaining("s390x");
    }

    @Test
    void baseImagesComeFromTheEnvironmentOrTheSubstitutedPublicDefaults() {
        ImageBuildSettings local = ImageBuildSettings.resolve(
                "x86_64",
                Map.of("DSQL_LOCAL_BASE_IMAGE", "base:local", "DSQL_LOCAL_JDK_IMAGE", "jdk:local"),
                name -> name);
        assertThat(local.buildArgs())
                .containsEntry("BASE_IMAGE", "base:local")
                .containsEntry("JDK_IMAGE", "jdk:local")
                .containsEntry("TARGETARCH", "amd64");
        assertThat(local.postgresArchive()).isEqualTo("postgres/postgres-linux-x86_64.txz");

        ImageBuildSettings mirrored = ImageBuildSettings.resolve(
                "aarch64",
                Map.of(),
                name -> DockerImageName.parse("mirror.example.com/hub/" + name.getRepository())
                        .withTag(name.getVersionPart()));
        assertThat(mirrored.buildArgs())
                .containsEntry("BASE_IMAGE", "mirror.example.com/hub/debian:bookworm-slim")
                .containsEntry("JDK_IMAGE", "mirror.example.com/hub/eclipse-temurin:17-jdk")
                .containsEntry("TARGETARCH", "arm64");
        assertThat(mirrored.postgresArchive()).isEqualTo("postgres/postgres-linux-arm_64.txz");
    }
}
