package dev.dsqllocal.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.utility.DockerImageName;

/** What DsqlContainer decides before any container starts. */
class DsqlContainerConfigurationTest {

    @Test
    void defaultImageIsDsqlLocalAtTheModuleVersion() {
        // getDockerImageName() would resolve (pull) the image: compare the name parts instead.
        assertThat(DsqlContainer.DEFAULT_IMAGE_NAME
                        .withTag(DsqlContainer.DEFAULT_TAG)
                        .asCanonicalNameString())
                .isEqualTo(System.getProperty("dsql.image"));
    }

    @Test
    void refusesAnImageThatIsNotDsqlLocal() {
        assertThatThrownBy(() -> new DsqlContainer(DockerImageName.parse("postgres:16")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("postgres:16")
                .hasMessageContaining("asCompatibleSubstituteFor");
    }

    @Test
    void acceptsAnImageDeclaredCompatible() {
        DockerImageName mirror = DockerImageName.parse("registry.example.com/mirror/dsql-local:1.2.3")
                .asCompatibleSubstituteFor("dsql-local");
        assertThat(new DsqlContainer(mirror).getExposedPorts())
                .containsExactlyInAnyOrder(DsqlContainer.API_PORT, DsqlContainer.SQL_PORT);
    }

    @Test
    void startupClusterIsRandomPerContainerUnlessReusedOrPinned() {
        String first = new DsqlContainer().getClusterIdentifier();
        assertThat(first).matches("[a-z0-9]{26}");
        assertThat(new DsqlContainer().getClusterIdentifier()).isNotEqualTo(first);

        assertThat(new DsqlContainer().withReuse(true).getClusterIdentifier())
                .as("reuse finds containers by their configuration hash, so the id must be stable")
                .isEqualTo(new DsqlContainer().withReuse(true).getClusterIdentifier());
        assertThat(new DsqlContainer().withReuse(true).withRegion("eu-west-1").getClusterIdentifier())
                .isNotEqualTo(new DsqlContainer().withReuse(true).getClusterIdentifier());

        DsqlContainer pinned = new DsqlContainer()
                .withClusterIdentifier("abcdefghijklmnopqrstuvwxyz")
                .withRegion("eu-central-1");
        assertThat(pinned.getClusterEndpoint()).isEqualTo("abcdefghijklmnopqrstuvwxyz.dsql.eu-central-1.on.aws");
    }

    @Test
    void tokensAreSignedForTheClusterEndpoint() {
        DsqlContainer dsql = new DsqlContainer()
                .withClusterIdentifier("abcdefghijklmnopqrstuvwxyz")
                .withCredentials("AKIDEXAMPLE", "secret");
        String admin = dsql.generateAuthToken();
        assertThat(admin)
                .startsWith("abcdefghijklmnopqrstuvwxyz.dsql.us-east-1.on.aws/?Action=DbConnectAdmin&")
                .contains("X-Amz-Credential=AKIDEXAMPLE%2F")
                .contains("X-Amz-Expires=900");
        assertThat(dsql.generateAuthToken("app")).contains("Action=DbConnect&");
        assertThat(dsql.getPassword()).contains("Action=DbConnectAdmin&").contains("X-Amz-Expires=604800");
        assertThat(dsql.withUsername("app").getPassword()).contains("Action=DbConnect&");
    }

    @Test
    void badSettingsSayWhatIsExpected() {
        DsqlContainer dsql = new DsqlContainer();
        assertThatThrownBy(() -> dsql.generateAuthToken("admin", Duration.ofDays(8)))
                .hasMessageContaining("7 days");
        assertThatThrownBy(() -> dsql.withAccountId("123")).hasMessageContaining("12 digits");
        assertThatThrownBy(() -> dsql.withClusterIdentifier("UPPER")).hasMessageContaining("[a-z0-9]");
        assertThatThrownBy(() -> dsql.withPassword("secret"))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("auth token");
        assertThatThrownBy(() -> dsql.withDatabaseName("app"))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("exactly one database");
        assertThat(dsql.withDatabaseName("postgres").getDatabaseName()).isEqualTo("postgres");
        assertThatThrownBy(() -> DsqlDialect.epoch("August")).hasMessageContaining("2026-08");
        assertThatThrownBy(() -> new DsqlContainer().withInitialClusters(0).getClusterIdentifier())
                .hasMessageContaining("withInitialClusters(0)");
    }

    @Test
    void dialectEpochReachesTheEmulator() {
        DsqlContainer latest = new DsqlContainer();
        latest.configure();
        DsqlContainer pinned = new DsqlContainer().withDialect(DsqlDialect.epoch("2026-08"));
        pinned.configure();

        assertThat(latest.getEnvMap()).containsEntry("DSQL_LOCAL_DIALECT", "latest");
        assertThat(pinned.getEnvMap()).containsEntry("DSQL_LOCAL_DIALECT", "2026-08");
    }

    @Test
    void asyncJobDelayReachesTheEmulatorOnlyWhenChosen() {
        DsqlContainer chosen = new DsqlContainer().withAsyncJobDelay(Duration.ofMillis(1500));
        assertThat(chosen.getEnvMap()).containsEntry("DSQL_LOCAL_ASYNC_JOB_DELAY", "1500ms");
        assertThat(new DsqlContainer().getEnvMap()).doesNotContainKey("DSQL_LOCAL_ASYNC_JOB_DELAY");
        assertThatThrownBy(() -> new DsqlContainer().withAsyncJobDelay(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be negative");
    }

    @Test
    void noDockerEngineSaysWhatToDo() {
        assertThatThrownBy(() -> StartupDiagnostics.requireDocker(false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs a running Docker engine")
                .hasMessageContaining("DOCKER_HOST");
    }

    @Test
    void aClusterNeedsAStartedContainer() {
        assertThatThrownBy(() -> new DsqlContainer().createCluster())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("call start() first");
    }

    @Test
    void maxConnectionsReachTheServerAndNonsenseIsRefused() {
        assertThat(new DsqlContainer().withMaxConnections(2500).getEnvMap())
                .containsEntry("DSQL_LOCAL_MAX_CONNECTIONS", "2500");
        assertThatThrownBy(() -> new DsqlContainer().withMaxConnections(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
