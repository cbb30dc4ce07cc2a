package dev.dsqllocal.testcontainers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Info;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.ImageNameSubstitutor;
import org.testcontainers.utility.LazyFuture;
import org.testcontainers.utility.TestcontainersConfiguration;

/**
 * The image a {@link DsqlContainer} runs, found when the container starts: the requested image after Testcontainers'
 * image name substitution (hub prefix, configured substitutor) if Docker has it; else, for the default image
 * {@code dsqllocal/dsql-local:<module version>}, an earlier build of the same inputs; else a pull; else a build from
 * the Docker context on the classpath ({@link ImageBuildContext}) with Testcontainers' {@link ImageFromDockerfile},
 * tagged {@value #BUILT_REPOSITORY}{@code :<version>-<content hash>} so the next start finds it at once.
 *
 * <p>The value is the name to hand to Testcontainers' {@code RemoteDockerImage}, which substitutes once more: the
 * requested name when the substituted one is present (substituting it again gives the same, present image), or the
 * built tag, whose {@code localhost} registry the hub prefix leaves alone.
 */
final class DsqlImage extends LazyFuture<String> {
    private static final Logger LOG = LoggerFactory.getLogger(DsqlImage.class);

    /**
     * Repository of images built on demand: local only, never pushed or pulled; the {@code localhost} registry keeps
     * Testcontainers' hub prefix off it.
     */
    static final String BUILT_REPOSITORY = "localhost/dsql-local";

    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(15);

    /** One build at a time in a JVM: parallel containers wait for the first build and then find its image. */
    private static final Object BUILD_LOCK = new Object();

    /** Content hashes per build arguments: the context is tens of MB, hashed once per JVM. */
    private static final Map<Map<String, String>, String> HASHES = new ConcurrentHashMap<>();

    /**
     * The image cannot be had: not present, not pullable, or its build failed. The message says what to do; Testcontainers
     * wraps it, and {@link DsqlContainer#start()} throws it as is.
     */
    static final class UnavailableException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        UnavailableException(String message) {
            super(message);
        }

        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Where an image came from. */
    enum Source {
        /** Docker had the (substituted) requested image. */
        PRESENT,
        /** Docker had an earlier on-demand build of the same inputs. */
        BUILT_BEFORE,
        /** Pulled from a registry. */
        PULLED,
        /** Built now from the classpath context. */
        BUILT
    }

    private final DockerImageName requested;
    private final DockerImageName buildable;
    private final String version;
    private final Function<DockerImageName, DockerImageName> substitutor;
    private final ClassLoader classLoader;
    private final String builtRepository;
    private final boolean useBuildCache;

    private volatile Source source;
    private volatile String localImage;

    /**
     * The first failure, thrown again to later callers: Testcontainers asks for the image a second time while it
     * reports a failed start, which must not pull or build a second time.
     */
    private volatile RuntimeException failure;

    /** For a container: the global substitutor, the module's class path. */
    DsqlImage(DockerImageName requested, DockerImageName defaultImage) {
        this(
                requested,
                defaultImage,
                ImageNameSubstitutor.instance(),
                DsqlImage.class.getClassLoader(),
                BUILT_REPOSITORY);
    }

    DsqlImage(
            DockerImageName requested,
            DockerImageName defaultImage,
            Function<DockerImageName, DockerImageName> substitutor,
            ClassLoader classLoader,
            String builtRepository) {
        this.requested = requested;
        this.buildable = defaultImage;
        this.version = defaultImage.getVersionPart();
        this.substitutor = substitutor;
        this.classLoader = classLoader;
        this.builtRepository = builtRepository;
        this.useBuildCache = true;
    }

    private DsqlImage(DsqlImage image, boolean useBuildCache) {
        this.requested = image.requested;
        this.buildable = image.buildable;
        this.version = image.version;
        this.substitutor = image.substitutor;
        this.classLoader = image.classLoader;
        this.builtRepository = image.builtRepository;
        this.useBuildCache = useBuildCache;
    }

    /** The same resolution, but a build reuses no layer Docker cached: what a machine's very first build costs. */
    DsqlImage withoutBuildCache() {
        return new DsqlImage(this, false);
    }

    /** Where the image came from, once resolved. */
    Source source() {
        return source;
    }

    /** The name of the image in Docker, once resolved (substituted, pulled or built). */
    String localImage() {
        return localImage;
    }

    @Override
    protected String resolve() {
        if (failure != null) {
            throw failure;
        }
        try {
            return find();
        } catch (UnavailableException e) {
            failure = e;
            throw e;
        } catch (RuntimeException e) {
            // An unsupported architecture, a context missing from the classpath, Docker going away: same contract.
            failure = new UnavailableException(String.valueOf(e.getMessage()), e);
            throw failure;
        }
    }

    private String find() {
        DockerClient docker = DockerClientFactory.instance().client();
        DockerImageName substituted = substitutor.apply(requested);
        String described = describe(substituted);
        if (exists(docker, substituted.asCanonicalNameString())) {
            return found(Source.PRESENT, substituted.asCanonicalNameString(), requested.asCanonicalNameString());
        }
        if (!isBuildable()) {
            String failure = pull(docker, substituted);
            if (failure == null) {
                return found(Source.PULLED, substituted.asCanonicalNameString(), requested.asCanonicalNameString());
            }
            throw new UnavailableException("The Docker image " + described + " is not on this machine and could not"
                    + " be pulled: " + failure + ". Check the name (docker pull " + substituted.asCanonicalNameString()
                    + "), or use new DsqlContainer() without an image name: its default image, "
                    + buildable.asCanonicalNameString() + ", is built from the classpath when it cannot be pulled");
        }
        synchronized (BUILD_LOCK) {
            ImageBuildSettings settings = settings(docker);
            ImageBuildContext context =
                    ImageBuildContext.fromClasspath(classLoader).forArchitecture(settings);
            String hash = HASHES.computeIfAbsent(settings.buildArgs(), context::contentHash);
            String built = builtRepository + ":" + version + "-" + hash.substring(0, 12);
            if (exists(docker, built)) {
                LOG.debug("using {} built earlier for {}", built, described);
                return found(Source.BUILT_BEFORE, built, built);
            }
            String pullFailure = pull(docker, substituted);
            if (pullFailure == null) {
                return found(Source.PULLED, substituted.asCanonicalNameString(), requested.asCanonicalNameString());
            }
            build(context, settings, built, described, pullFailure);
            return found(Source.BUILT, built, built);
        }
    }

    private boolean isBuildable() {
        return requested.getUnversionedPart().equals(buildable.getUnversionedPart())
                && requested.getVersionPart().equals(buildable.getVersionPart());
    }

    private String found(Source from, String image, String nameForTestcontainers) {
        this.source = from;
        this.localImage = image;
        return nameForTestcontainers;
    }

    private String describe(DockerImageName substituted) {
        return substituted.equals(requested)
                ? requested.asCanonicalNameString()
                : substituted.asCanonicalNameString() + " (" + requested.asCanonicalNameString()
                        + " after Testcontainers' image name substitution)";
    }

    private static ImageBuildSettings settings(DockerClient docker) {
        Info info = docker.infoCmd().exec();
        if (info.getOsType() != null && !"linux".equalsIgnoreCase(info.getOsType())) {
            throw new UnavailableException("DSQL Local's image is a Linux image, and this Docker engine runs "
                    + info.getOsType() + " containers: switch it to Linux containers");
        }
        return ImageBuildSettings.resolve(info.getArchitecture(), System.getenv(), ImageNameSubstitutor.instance());
    }

    private void build(
            ImageBuildContext context, ImageBuildSettings settings, String tag, String described, String pullFailure) {
        LOG.info(
                "The Docker image {} is not on this machine and could not be pulled ({}). Building it from the"
                        + " classpath as {} ({} MB context, {}): about a minute, once; later starts reuse it",
                described,
                pullFailure,
                tag,
                context.size() / 1_000_000,
                settings);
        long started = System.nanoTime();
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "dsql-local-image-build-progress");
            thread.setDaemon(true);
            return thread;
        });
        progress.scheduleAtFixedRate(
                () -> LOG.info("still building {} ({} s)", tag, seconds(started)),
                PROGRESS_INTERVAL.toSeconds(),
                PROGRESS_INTERVAL.toSeconds(),
                TimeUnit.SECONDS);
        try {
            ImageFromDockerfile image =
                    context.addTo(new ImageFromDockerfile(tag, false)).withBuildArgs(settings.buildArgs());
            if (!useBuildCache) {
                image.withBuildImageCmdModifier(command -> command.withNoCache(true));
            }
            image.get();
        } catch (RuntimeException e) {
            throw new UnavailableException(
                    "Building the DSQL Local image " + tag + " from the classpath failed after "
                            + seconds(started) + " s: " + rootMessage(e) + ". The build used " + settings
                            + "; on a machine"
                            + " without registry access set " + ImageBuildSettings.BASE_IMAGE_ENV + " and "
                            + ImageBuildSettings.JDK_IMAGE_ENV
                            + " to local images (a Debian bookworm and a JDK 17+ with"
                            + " jmods). The build's steps are logged at DEBUG by the logger 'tc." + tag
                            + "'. (The published"
                            + " image " + described + " could not be pulled either: " + pullFailure + ")",
                    e);
        } finally {
            progress.shutdownNow();
        }
        LOG.info("built {} in {} s", tag, seconds(started));
    }

    /** Pulls {@code image}; null when it worked, otherwise what went wrong. One attempt: a retry loop only delays. */
    private static String pull(DockerClient docker, DockerImageName image) {
        long timeout = TestcontainersConfiguration.getInstance().getImagePullTimeout();
        QuietPull callback = new QuietPull();
        try {
            docker.pullImageCmd(image.getUnversionedPart())
                    .withTag(image.getVersionPart())
                    .exec(callback);
            if (!callback.awaitCompletion(timeout, TimeUnit.SECONDS)) {
                return "no answer from the registry within " + timeout + " s (Testcontainers' pull.timeout)";
            }
            if (callback.error != null) {
                return rootMessage(callback.error);
            }
            return exists(docker, image.asCanonicalNameString()) ? null : "the pull ended without the image";
        } catch (DockerException | DockerClientException e) {
            return rootMessage(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pulling " + image.asCanonicalNameString(), e);
        } finally {
            try {
                callback.close();
            } catch (java.io.IOException ignored) {
                // nothing left to release
            }
        }
    }

    /**
     * A pull's callback that keeps its error for the message instead of logging it: docker-java's default logs a
     * failed pull at ERROR with a stack trace, which reads like a test failure when a build on demand follows.
     */
    private static final class QuietPull extends PullImageResultCallback {
        private volatile Throwable error;

        @Override
        public void onError(Throwable throwable) {
            error = throwable;
            try {
                close();
            } catch (java.io.IOException ignored) {
                // closing only releases the stream
            }
        }
    }

    private static boolean exists(DockerClient docker, String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static long seconds(long startedNanos) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null
                ? root.getClass().getSimpleName()
                : root.getMessage().trim();
        return message.replaceAll("\\s+", " ");
    }
}
