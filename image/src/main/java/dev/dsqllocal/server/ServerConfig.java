package dev.dsqllocal.server;

import dev.dsqllocal.auth.AuthMode;
import dev.dsqllocal.auth.Principal;
import dev.dsqllocal.dialect.DialectEpoch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emulator's settings, read once from flags ({@code --api-port 4566} or {@code --api-port=4566}) and
 * environment variables ({@code DSQL_LOCAL_API_PORT}); see {@link Option} for the full list.
 */
public final class ServerConfig {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern CLUSTER_ID = Pattern.compile("[a-z0-9]{26}");

    private final Map<Option, String> values;

    private ServerConfig(Map<Option, String> values) {
        this.values = values;
        validate();
    }

    /** Reads the flags in {@code args}, then the environment, then the defaults. */
    public static ServerConfig parse(String[] args, Map<String, String> env) {
        Map<Option, String> given = new EnumMap<>(Option.class);
        for (Option option : Option.values()) {
            String fromEnv = env.get(option.envVar());
            if (fromEnv != null) {
                given.put(option, fromEnv);
            }
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new ConfigException("unexpected argument '" + arg + "' (try --help)");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Option option = byFlag(name);
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new ConfigException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            given.put(option, value);
        }
        return of(given);
    }

    /**
     * The settings made of {@code given} (options already resolved from flags, the environment or a caller that
     * embeds the emulator), every other option at its default; invalid values are a {@link ConfigException}.
     */
    public static ServerConfig of(Map<Option, String> given) {
        Map<Option, String> values = new EnumMap<>(Option.class);
        for (Option option : Option.values()) {
            values.put(option, option.defaultValue());
        }
        values.putAll(given);
        return new ServerConfig(values);
    }

    private static Option byFlag(String flag) {
        for (Option option : Option.values()) {
            if (option.flag().equals(flag)) {
                return option;
            }
        }
        throw new ConfigException("unknown option --" + flag + " (try --help)");
    }

    /** The text printed by {@code --help}. */
    public static String help() {
        StringBuilder out = new StringBuilder();
        out.append(
                "DSQL Local: a local Amazon Aurora DSQL (control plane + IAM-token SQL endpoint + PostgreSQL 16)\n\n");
        out.append("Usage: java -jar dsql-local.jar [--option value]...\n\n");
        out.append("Every option can also be set by its environment variable; a flag wins.\n\n");
        for (Option option : Option.values()) {
            out.append(String.format(Locale.ROOT, "  --%-26s %s%n", option.flag(), option.envVar()));
            out.append("      ").append(option.description());
            if (!option.defaultValue().isEmpty()) {
                out.append(" Default: ").append(option.defaultValue()).append('.');
            }
            out.append('\n');
        }
        out.append("  --help                       Print this text.\n");
        return out.toString();
    }

    private void validate() {
        apiPort();
        sqlPort();
        authMode();
        principals();
        for (Option option : List.of(
                Option.CREATE_DELAY,
                Option.UPDATE_DELAY,
                Option.DELETE_DELAY,
                Option.STREAM_CREATE_DELAY,
                Option.STREAM_DELETE_DELAY,
                Option.ASYNC_JOB_DELAY,
                Option.MAX_CONNECTION_LIFETIME,
                Option.TOKEN_CLOCK_SKEW,
                Option.TLS_HANDSHAKE_TIMEOUT)) {
            duration(option);
        }
        for (Option option : List.of(
                Option.INITIAL_CLUSTERS,
                Option.MAX_CLUSTERS,
                Option.MAX_MULTI_REGION_CLUSTERS,
                Option.MAX_STREAMS,
                Option.MAX_CONNECTIONS,
                Option.CONNECTION_RATE,
                Option.CONNECTION_BURST)) {
            nonNegativeInt(option);
        }
        defaultClusterId();
        dialect();
        kinesisEndpoint();
        if (tlsCertificate().isPresent() != tlsPrivateKey().isPresent()) {
            throw new ConfigException("--tls-cert and --tls-key go together (DSQL_LOCAL_TLS_CERT, DSQL_LOCAL_TLS_KEY)");
        }
    }

    public String raw(Option option) {
        return values.get(option);
    }

    public int apiPort() {
        return port(Option.API_PORT);
    }

    public int sqlPort() {
        return port(Option.SQL_PORT);
    }

    public String bindAddress() {
        return raw(Option.BIND_ADDRESS);
    }

    /** The persistent data directory, or empty for an ephemeral emulator. */
    public Optional<Path> dataDir() {
        return path(Option.DATA_DIR);
    }

    public Path cacheDir() {
        return Path.of(raw(Option.CACHE_DIR).replace("${user.home}", System.getProperty("user.home")));
    }

    public Optional<Path> pgHome() {
        return path(Option.PG_HOME);
    }

    public String defaultRegion() {
        return raw(Option.REGION);
    }

    public String defaultAccountId() {
        return raw(Option.ACCOUNT_ID);
    }

    /**
     * The DSQL rule epoch the gateway applies, or empty for {@code off} (plain PostgreSQL behaviour).
     */
    public Optional<DialectEpoch> dialect() {
        String value = raw(Option.DIALECT).trim();
        if (value.equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        try {
            return Optional.of(DialectEpoch.parse(value));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(describe(Option.DIALECT) + " must be latest, off, YYYY-MM or YYYY-MM-DD, not '"
                    + raw(Option.DIALECT) + "'");
        }
    }

    public AuthMode authMode() {
        try {
            return AuthMode.valueOf(raw(Option.AUTH_MODE).trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--auth-mode / DSQL_LOCAL_AUTH_MODE must be strict or relaxed, not '"
                    + raw(Option.AUTH_MODE) + "'");
        }
    }

    /** The default credentials first, then those of {@code --credentials}. */
    public List<Principal> principals() {
        List<Principal> principals = new ArrayList<>();
        principals.add(principal(
                raw(Option.ACCESS_KEY),
                raw(Option.SECRET_KEY),
                raw(Option.ACCOUNT_ID),
                raw(Option.PRINCIPAL_ARN),
                "--access-key/--secret-key/--account-id"));
        String extra = raw(Option.CREDENTIALS).trim();
        if (!extra.isEmpty()) {
            for (String entry : extra.split(",")) {
                String[] parts = entry.trim().split(":", 4);
                if (parts.length < 3) {
                    throw new ConfigException("--credentials / DSQL_LOCAL_CREDENTIALS entries are"
                            + " ACCESS_KEY:SECRET:ACCOUNT_ID[:PRINCIPAL_ARN], not '" + entry + "'");
                }
                principals.add(
                        principal(parts[0], parts[1], parts[2], parts.length == 4 ? parts[3] : "", "--credentials"));
            }
        }
        return principals;
    }

    private static Principal principal(String accessKey, String secret, String account, String arn, String source) {
        if (accessKey.isBlank() || secret.isBlank()) {
            throw new ConfigException(source + ": access key and secret must not be empty");
        }
        if (!ACCOUNT.matcher(account).matches()) {
            throw new ConfigException(source + ": account id must be 12 digits, not '" + account + "'");
        }
        String principalArn = arn.isBlank() ? "arn:aws:iam::" + account + ":root" : arn;
        return new Principal(accessKey, secret, account, principalArn);
    }

    public int initialClusters() {
        return nonNegativeInt(Option.INITIAL_CLUSTERS);
    }

    public Optional<String> defaultClusterId() {
        String id = raw(Option.DEFAULT_CLUSTER_ID).trim();
        if (id.isEmpty()) {
            return Optional.empty();
        }
        if (!CLUSTER_ID.matcher(id).matches()) {
            throw new ConfigException(
                    "--default-cluster-id / DSQL_LOCAL_DEFAULT_CLUSTER_ID must be 26 chars of [a-z0-9]");
        }
        return Optional.of(id);
    }

    public Duration createDelay() {
        return duration(Option.CREATE_DELAY);
    }

    /** How long an asynchronous job stays pending (zero: it finishes inside its statement). */
    public Duration asyncJobDelay() {
        return duration(Option.ASYNC_JOB_DELAY);
    }

    public Duration updateDelay() {
        return duration(Option.UPDATE_DELAY);
    }

    public Duration deleteDelay() {
        return duration(Option.DELETE_DELAY);
    }

    public Duration streamCreateDelay() {
        return duration(Option.STREAM_CREATE_DELAY);
    }

    public Duration streamDeleteDelay() {
        return duration(Option.STREAM_DELETE_DELAY);
    }

    public int maxClustersPerRegion() {
        return nonNegativeInt(Option.MAX_CLUSTERS);
    }

    public int maxMultiRegionClustersPerRegion() {
        return nonNegativeInt(Option.MAX_MULTI_REGION_CLUSTERS);
    }

    public int maxStreamsPerCluster() {
        return nonNegativeInt(Option.MAX_STREAMS);
    }

    public int maxConnectionsPerCluster() {
        return nonNegativeInt(Option.MAX_CONNECTIONS);
    }

    public int connectionRatePerSecond() {
        return nonNegativeInt(Option.CONNECTION_RATE);
    }

    public int connectionBurst() {
        return nonNegativeInt(Option.CONNECTION_BURST);
    }

    public Duration maxConnectionLifetime() {
        return duration(Option.MAX_CONNECTION_LIFETIME);
    }

    public Duration tokenClockSkew() {
        return duration(Option.TOKEN_CLOCK_SKEW);
    }

    public Duration tlsHandshakeTimeout() {
        return duration(Option.TLS_HANDSHAKE_TIMEOUT);
    }

    public Optional<Path> tlsCertificate() {
        return path(Option.TLS_CERT);
    }

    public Optional<Path> tlsPrivateKey() {
        return path(Option.TLS_KEY);
    }

    public List<String> tlsHostnames() {
        List<String> names = new ArrayList<>();
        for (String name : raw(Option.TLS_HOSTNAMES).split(",")) {
            if (!name.isBlank()) {
                names.add(name.trim());
            }
        }
        return names;
    }

    /** Where CDC records are delivered; empty: kept in memory by the emulator. */
    public Optional<java.net.URI> kinesisEndpoint() {
        String raw = raw(Option.KINESIS_ENDPOINT).trim();
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            java.net.URI uri = new java.net.URI(raw);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new java.net.URISyntaxException(raw, "not an http(s) URL with a host");
            }
            return Optional.of(uri);
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(
                    "--kinesis-endpoint (DSQL_LOCAL_KINESIS_ENDPOINT) must be an http(s) URL: " + raw);
        }
    }

    public String logLevel() {
        return raw(Option.LOG_LEVEL).trim().toLowerCase(Locale.ROOT);
    }

    private Optional<Path> path(Option option) {
        String value = raw(option).trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(Path.of(value));
    }

    private int port(Option option) {
        int port = nonNegativeInt(option);
        if (port > 65535) {
            throw new ConfigException(describe(option) + " must be a port number (0-65535), not " + port);
        }
        return port;
    }

    private int nonNegativeInt(Option option) {
        try {
            int value = Integer.parseInt(raw(option).trim());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(describe(option) + " must be a whole number >= 0, not '" + raw(option) + "'");
        }
    }

    /** Parses {@code 250ms}, {@code 2s}, {@code 60m}, {@code 1h}; a bare number means seconds. */
    public Duration duration(Option option) {
        Matcher m = DURATION.matcher(raw(option).trim());
        if (!m.matches()) {
            throw new ConfigException(
                    describe(option) + " must be a duration such as 500ms, 2s, 60m or 1h, not '" + raw(option) + "'");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        switch (unit) {
            case "ms":
                return Duration.ofMillis(amount);
            case "m":
                return Duration.ofMinutes(amount);
            case "h":
                return Duration.ofHours(amount);
            default:
                return Duration.ofSeconds(amount);
        }
    }

    private static String describe(Option option) {
        return "--" + option.flag() + " / " + option.envVar();
    }
}
