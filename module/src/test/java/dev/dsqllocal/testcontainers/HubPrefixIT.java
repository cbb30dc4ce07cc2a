package dev.dsqllocal.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

/**
 * A company mirror set with TESTCONTAINERS_HUB_IMAGE_NAME_PREFIX: {@code new DsqlContainer()} runs the mirror's copy
 * of the default image. Runs in a Surefire execution of its own that sets {@value #PREFIX} as the prefix (see the
 * module's pom), because Testcontainers reads it from the environment.
 */
class HubPrefixIT {
    static final String PREFIX = "mirror.dsql-local.test/";

    @Test
    void theDefaultImageComesFromTheMirrorWhenDockerHasTheMirrorsCopy() throws Exception {
        assertThat(System.getenv("TESTCONTAINERS_HUB_IMAGE_NAME_PREFIX"))
                .as("this test runs in the Surefire execution 'hub-prefix' of the module's pom")
                .isEqualTo(PREFIX);
        DockerClient docker = DockerClientFactory.instance().client();
        DockerImageName requested = DsqlContainer.DEFAULT_IMAGE_NAME.withTag(DsqlContainer.DEFAULT_TAG);
        DockerImageName mirrored = DockerImageName.parse(PREFIX + requested.asCanonicalNameString());

        // With the prefix set and no mirror copy yet, the image is still found (built or reused), not refused.
        DsqlImage withoutCopy = new DsqlImage(requested, requested);
        withoutCopy.get();
        assertThat(withoutCopy.source()).isIn(DsqlImage.Source.BUILT, DsqlImage.Source.BUILT_BEFORE);

        // The mirror's copy, as a pull through the mirror would leave it (no registry can be reached here).
        docker.tagImageCmd(withoutCopy.localImage(), mirrored.getUnversionedPart(), mirrored.getVersionPart())
                .exec();
        try (DsqlContainer dsql = new DsqlContainer()) {
            dsql.start();
            assertThat(dsql.getDockerImageName()).isEqualTo(mirrored.asCanonicalNameString());
            try (Connection c = TestClients.connect(dsql.getJdbcUrl(), "admin", dsql.generateAuthToken());
                    ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
        } finally {
            ImageOnDemandIT.untag(docker, mirrored.asCanonicalNameString());
        }
    }
}
