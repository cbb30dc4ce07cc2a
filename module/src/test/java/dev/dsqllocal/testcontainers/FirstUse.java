package dev.dsqllocal.testcontainers;

import com.github.dockerjava.api.DockerClient;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

/** The measurement behind bench.FirstUseBenchmark, here for the package-private DsqlImage. */
public final class FirstUse {
    /** Milliseconds to build, milliseconds from the container's start to the first query, image size in bytes. */
    public record Result(long buildMillis, long startToQueryMillis, long imageBytes) {}

    private FirstUse() {}

    public static Result measure() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        DockerImageName defaultImage = DsqlContainer.DEFAULT_IMAGE_NAME.withTag(DsqlContainer.DEFAULT_TAG);
        DockerClient docker = DockerClientFactory.instance().client();
        long started = System.nanoTime();
        DsqlImage image = new DsqlImage(
                        defaultImage,
                        defaultImage,
                        name -> DockerImageName.parse("localhost:1/mirror-" + run + "/dsql-local")
                                .withTag(name.getVersionPart()),
                        FirstUse.class.getClassLoader(),
                        "localhost/dsql-local-first-use-" + run)
                .withoutBuildCache();
        String built = image.get();
        long builtAt = System.nanoTime();
        try (DsqlContainer dsql = new DsqlContainer(
                DockerImageName.parse(built).asCompatibleSubstituteFor(DsqlContainer.DEFAULT_IMAGE_NAME))) {
            dsql.start();
            try (Connection c = TestClients.connect(dsql.getJdbcUrl(), "admin", dsql.generateAuthToken());
                    ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
                rs.next();
            }
            long queried = System.nanoTime();
            long size = docker.inspectImageCmd(built).exec().getSize();
            return new Result((builtAt - started) / 1_000_000, (queried - builtAt) / 1_000_000, size);
        } finally {
            ImageOnDemandIT.untag(docker, built);
        }
    }
}
