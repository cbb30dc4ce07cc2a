package dev.dsqllocal.testcontainers;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.testcontainers.utility.DockerImageName;

/**
 * The build arguments of an on-demand image build: the base images (the public ones, through Testcontainers' image
 * name substitution, unless {@code DSQL_LOCAL_BASE_IMAGE} / {@code DSQL_LOCAL_JDK_IMAGE} or the system properties
 * {@code dsql.local.base.image} / {@code dsql.local.jdk.image} name others) and the Docker engine's architecture.
 */
final class ImageBuildSettings {
    static final String BASE_IMAGE_ENV = "DSQL_LOCAL_BASE_IMAGE";
    static final String JDK_IMAGE_ENV = "DSQL_LOCAL_JDK_IMAGE";
    static final String BASE_IMAGE_PROPERTY = "dsql.local.base.image";
    static final String JDK_IMAGE_PROPERTY = "dsql.local.jdk.image";

    /** The Dockerfile's own defaults: what a user with registry access pulls. */
    static final DockerImageName DEFAULT_BASE_IMAGE = DockerImageName.parse("debian:bookworm-slim");

    static final DockerImageName DEFAULT_JDK_IMAGE = DockerImageName.parse("eclipse-temurin:17-jdk");

    private final String baseImage;
    private final String jdkImage;
    private final String targetArch;

    ImageBuildSettings(String baseImage, String jdkImage, String targetArch) {
        this.baseImage = baseImage;
        this.jdkImage = jdkImage;
        this.targetArch = targetArch;
    }

    /**
     * Settings for a Docker engine reporting {@code dockerArchitecture} ({@code docker info}'s Architecture), with
     * base images from the system properties, then the environment, then the substituted public defaults (so a
     * company mirror configured with TESTCONTAINERS_HUB_IMAGE_NAME_PREFIX serves them too).
     */
    static ImageBuildSettings resolve(
            String dockerArchitecture,
            Map<String, String> environment,
            Function<DockerImageName, DockerImageName> substitutor) {
        String arch = targetArch(dockerArchitecture);
        return new ImageBuildSettings(
                chosen(BASE_IMAGE_PROPERTY, BASE_IMAGE_ENV, environment, substitutor.apply(DEFAULT_BASE_IMAGE)),
                chosen(JDK_IMAGE_PROPERTY, JDK_IMAGE_ENV, environment, substitutor.apply(DEFAULT_JDK_IMAGE)),
                arch);
    }

    /**
     * Docker's platform name ({@code TARGETARCH}) for an engine architecture; the image exists for amd64 and arm64,
     * the two architectures Maven Central has PostgreSQL binaries for.
     */
    static String targetArch(String dockerArchitecture) {
        String arch = String.valueOf(dockerArchitecture).toLowerCase(Locale.ROOT);
        switch (arch) {
            case "x86_64":
            case "amd64":
                return "amd64";
            case "aarch64":
            case "arm64":
                return "arm64";
            default:
                throw new IllegalStateException(
                        "DSQL Local's image exists for linux/amd64 and linux/arm64 only, and this"
                                + " Docker engine runs on " + dockerArchitecture
                                + ". Point DOCKER_HOST at an amd64 or arm64"
                                + " engine, or run the server without Docker (java -jar dsql-local.jar with --pg-home)");
        }
    }

    /** The build arguments the Dockerfile declares. */
    Map<String, String> buildArgs() {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("BASE_IMAGE", baseImage);
        args.put("JDK_IMAGE", jdkImage);
        // Docker 20.10's classic builder, which Testcontainers drives, does not set TARGETARCH itself.
        args.put("TARGETARCH", targetArch);
        return args;
    }

    String baseImage() {
        return baseImage;
    }

    String jdkImage() {
        return jdkImage;
    }

    String targetArch() {
        return targetArch;
    }

    /** The PostgreSQL archive in the context that this architecture's build needs (the others are not sent). */
    String postgresArchive() {
        return "postgres/postgres-linux-" + ("arm64".equals(targetArch) ? "arm_64" : "x86_64") + ".txz";
    }

    @Override
    public String toString() {
        return "BASE_IMAGE=" + baseImage + ", JDK_IMAGE=" + jdkImage + ", TARGETARCH=" + targetArch;
    }

    private static String chosen(
            String property, String variable, Map<String, String> environment, DockerImageName fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = environment.get(variable);
        }
        return value == null || value.isBlank() ? fallback.asCanonicalNameString() : value.trim();
    }
}
