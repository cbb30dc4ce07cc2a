package dev.dsqllocal.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

/**
 * The default image, when Docker has it not and no registry serves it, is built from the Docker context on the
 * classpath (the image module's docker-context artifact), tagged by version and content hash, and found again at
 * once by the next container.
 */
class ImageOnDemandIT {
    private static final DockerImageName DEFAULT = DsqlContainer.DEFAULT_IMAGE_NAME.withTag(DsqlContainer.DEFAULT_TAG);

    @Test
    void aMissingDefaultImageIsBuiltFromTheClasspathOnceAndReusedByTheNextStart() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // A unique repository, so this test really builds even when an earlier run left the usual tag behind.
        String repository = "localhost/dsql-local-on-demand-test-" + run;
        // The default image as a mirror no one runs would name it: neither on this machine nor pullable.
        Function<DockerImageName, DockerImageName> unreachableMirror =
                name -> DockerImageName.parse("localhost:1/mirror-" + run + "/dsql-local")
                        .withTag(name.getVersionPart());
        DockerClient docker = DockerClientFactory.instance().client();
        String built = null;
        try {
            DsqlImage first = new DsqlImage(
                    DEFAULT, DEFAULT, unreachableMirror, getClass().getClassLoader(), repository);
            built = first.get();
            assertThat(first.source()).isEqualTo(DsqlImage.Source.BUILT);
            assertThat(built)
                    .matches(java.util.regex.Pattern.quote(repository + ":" + DsqlContainer.DEFAULT_TAG + "-")
                            + "[0-9a-f]{12}");
            assertThat(docker.inspectImageCmd(built).exec().getConfig().getExposedPorts())
                    .hasSize(2);

            long started = System.nanoTime();
            DsqlImage second = new DsqlImage(
                    DEFAULT, DEFAULT, unreachableMirror, getClass().getClassLoader(), repository);
            assertThat(second.get()).isEqualTo(built);
            assertThat(second.source()).isEqualTo(DsqlImage.Source.BUILT_BEFORE);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));

            // The built image is DSQL Local: it starts and answers an authenticated query.
            try (DsqlContainer dsql = new DsqlContainer(
                    DockerImageName.parse(built).asCompatibleSubstituteFor(DsqlContainer.DEFAULT_IMAGE_NAME))) {
                dsql.start();
                try (Connection c = TestClients.connect(dsql.getJdbcUrl(), "admin", dsql.generateAuthToken());
                        ResultSet rs = c.createStatement().executeQuery("SELECT current_user")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("admin");
                }
            }
        } finally {
            if (built != null) {
                untag(docker, built);
            }
        }
    }

    @Test
    void anImageDockerHasIsUsedAsItIs() {
        DockerClient docker = DockerClientFactory.instance().client();
        // Whatever the default resolves to on this machine (built or present), under a name a mirror would use.
        DsqlImage resolved = new DsqlImage(DEFAULT, DEFAULT);
        resolved.get();
        String mirrored = "localhost/mirror-" + UUID.randomUUID().toString().substring(0, 8) + "/dsql-local:"
                + DsqlContainer.DEFAULT_TAG;
        DockerImageName mirroredName = DockerImageName.parse(mirrored);
        docker.tagImageCmd(resolved.localImage(), mirroredName.getUnversionedPart(), mirroredName.getVersionPart())
                .exec();
        try {
            DsqlImage viaMirror = new DsqlImage(
                    DEFAULT, DEFAULT, name -> mirroredName, getClass().getClassLoader(), DsqlImage.BUILT_REPOSITORY);
            // The name handed to Testcontainers is the requested one: it substitutes it to the mirror's again.
            assertThat(viaMirror.get()).isEqualTo(DEFAULT.asCanonicalNameString());
            assertThat(viaMirror.source()).isEqualTo(DsqlImage.Source.PRESENT);
            assertThat(viaMirror.localImage()).isEqualTo(mirrored);
        } finally {
            untag(docker, mirrored);
        }
    }

    static void untag(DockerClient docker, String image) {
        try {
            // Removes the tag only: the layers stay for the other tags of the same image.
            docker.removeImageCmd(image).withNoPrune(true).exec();
        } catch (NotFoundException | com.github.dockerjava.api.exception.ConflictException e) {
            // already gone, or still used by a container Testcontainers is removing
        }
    }
}
