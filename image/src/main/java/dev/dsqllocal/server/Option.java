package dev.dsqllocal.server;

/**
 * Every setting of the emulator, with its command-line flag, its environment variable and its default.
 *
 * <p>These names are the documented interface: the Docker image and {@code DsqlContainer} set the same
 * environment variables. A flag wins over the variable, the variable over the default.
 */
public enum Option {
    API_PORT("api-port", "DSQL_LOCAL_API_PORT", "4566", "Port of the control-plane API (restJson1, SigV4)."),
    SQL_PORT("sql-port", "DSQL_LOCAL_SQL_PORT", "5432", "Port of the SQL gateway (PostgreSQL protocol over TLS)."),
    BIND_ADDRESS("bind-address", "DSQL_LOCAL_BIND_ADDRESS", "0.0.0.0", "Address both listeners bind to."),
    DATA_DIR(
            "data-dir",
            "DSQL_LOCAL_DATA_DIR",
            "",
            "Directory for persistent state; empty means ephemeral (a temporary directory removed on exit)."),
    CACHE_DIR(
            "cache-dir",
            "DSQL_LOCAL_CACHE_DIR",
            "${user.home}/.cache/dsql-local",
            "Where the PostgreSQL binaries are unpacked and the initialised template is kept."),
    PG_HOME(
            "pg-home",
            "DSQL_LOCAL_PG_HOME",
            "",
            "Directory of already unpacked PostgreSQL 16 binaries (bin/, lib/, share/); empty means unpack the bundled ones into the cache dir."),
    REGION(
            "region",
            "DSQL_LOCAL_REGION",
            "us-east-1",
            "Default region: where the startup cluster lives and what unsigned helpers assume."),
    ACCESS_KEY("access-key", "DSQL_LOCAL_ACCESS_KEY", "test", "Access key id of the default credentials."),
    SECRET_KEY("secret-key", "DSQL_LOCAL_SECRET_KEY", "test", "Secret access key of the default credentials."),
    ACCOUNT_ID(
            "account-id",
            "DSQL_LOCAL_ACCOUNT_ID",
            "000000000000",
            "12-digit account of the default credentials, and the account used in relaxed auth mode."),
    PRINCIPAL_ARN(
            "principal-arn",
            "DSQL_LOCAL_PRINCIPAL_ARN",
            "",
            "IAM principal ARN of the default credentials; empty means arn:aws:iam::<account-id>:root."),
    CREDENTIALS(
            "credentials",
            "DSQL_LOCAL_CREDENTIALS",
            "",
            "More credentials, comma-separated, each ACCESS_KEY:SECRET:ACCOUNT_ID[:PRINCIPAL_ARN]."),
    AUTH_MODE(
            "auth-mode",
            "DSQL_LOCAL_AUTH_MODE",
            "strict",
            "strict: SigV4 signatures and auth tokens are verified against the configured secrets; relaxed: any access key is accepted unchecked and acts in the default account."),
    INITIAL_CLUSTERS(
            "initial-clusters",
            "DSQL_LOCAL_INITIAL_CLUSTERS",
            "1",
            "Clusters created at first start in the default region and account (0 for none)."),
    DEFAULT_CLUSTER_ID(
            "default-cluster-id",
            "DSQL_LOCAL_DEFAULT_CLUSTER_ID",
            "",
            "Identifier to give the first startup cluster (26 chars of [a-z0-9]); empty means random."),
    CREATE_DELAY(
            "create-delay", "DSQL_LOCAL_CREATE_DELAY", "0s", "Extra time a cluster stays CREATING (e.g. 500ms, 2s)."),
    UPDATE_DELAY("update-delay", "DSQL_LOCAL_UPDATE_DELAY", "0s", "Time a cluster stays UPDATING after UpdateCluster."),
    DELETE_DELAY("delete-delay", "DSQL_LOCAL_DELETE_DELAY", "0s", "Time a cluster stays DELETING before it is gone."),
    STREAM_CREATE_DELAY("stream-create-delay", "DSQL_LOCAL_STREAM_CREATE_DELAY", "0s", "Time a stream stays CREATING."),
    STREAM_DELETE_DELAY(
            "stream-delete-delay",
            "DSQL_LOCAL_STREAM_DELETE_DELAY",
            "0s",
            "Time a stream stays DELETING before it is gone."),
    MAX_CLUSTERS(
            "max-clusters", "DSQL_LOCAL_MAX_CLUSTERS", "20", "Quota: single-Region clusters per account and region."),
    MAX_MULTI_REGION_CLUSTERS(
            "max-multi-region-clusters",
            "DSQL_LOCAL_MAX_MULTI_REGION_CLUSTERS",
            "5",
            "Quota: multi-Region clusters per account and region."),
    MAX_STREAMS("max-streams", "DSQL_LOCAL_MAX_STREAMS", "5", "Quota: streams per cluster."),
    MAX_CONNECTIONS(
            "max-connections",
            "DSQL_LOCAL_MAX_CONNECTIONS",
            "1000",
            "Open connections per cluster (53300 beyond); PostgreSQL's max_connections follows it. DSQL's own"
                    + " quota is 10,000: raise it to that if you need it (about 50 MB of shared memory per 1,000)."),
    CONNECTION_RATE(
            "connection-rate",
            "DSQL_LOCAL_CONNECTION_RATE",
            "100",
            "Gateway: sustained new connections per second per cluster (53400 beyond)."),
    CONNECTION_BURST(
            "connection-burst",
            "DSQL_LOCAL_CONNECTION_BURST",
            "1000",
            "Gateway: burst of new connections per cluster."),
    MAX_CONNECTION_LIFETIME(
            "max-connection-lifetime",
            "DSQL_LOCAL_MAX_CONNECTION_LIFETIME",
            "60m",
            "Gateway: a session is closed after this long."),
    TOKEN_CLOCK_SKEW(
            "token-clock-skew",
            "DSQL_LOCAL_TOKEN_CLOCK_SKEW",
            "5m",
            "Gateway: how far in the future an auth token's X-Amz-Date may be."),
    TLS_HANDSHAKE_TIMEOUT(
            "tls-handshake-timeout",
            "DSQL_LOCAL_TLS_HANDSHAKE_TIMEOUT",
            "5s",
            "Gateway: a client that has not finished the TLS handshake this long after connecting is disconnected."),
    TLS_CERT("tls-cert", "DSQL_LOCAL_TLS_CERT", "", "PEM certificate chain to serve instead of the generated one."),
    TLS_KEY("tls-key", "DSQL_LOCAL_TLS_KEY", "", "PEM private key (PKCS#8) for --tls-cert."),
    TLS_HOSTNAMES(
            "tls-hostnames",
            "DSQL_LOCAL_TLS_HOSTNAMES",
            "",
            "Extra host names for the generated server certificate, comma-separated."),
    DIALECT(
            "dialect",
            "DSQL_LOCAL_DIALECT",
            "latest",
            "SQL dialect: latest (DSQL as of today), YYYY-MM or YYYY-MM-DD (DSQL's rules as they were on that date), or off (plain PostgreSQL 16, no DSQL restrictions)."),
    ASYNC_JOB_DELAY(
            "async-job-delay",
            "DSQL_LOCAL_ASYNC_JOB_DELAY",
            "2s",
            "Time an asynchronous job (CREATE INDEX ASYNC, ALTER TABLE ASYNC ... VALIDATE) stays pending before it runs; CALL sys.wait_for_job runs it at once. 0s: jobs finish inside their statement."),
    KINESIS_ENDPOINT(
            "kinesis-endpoint",
            "DSQL_LOCAL_KINESIS_ENDPOINT",
            "",
            "CDC streams: URL of a Kinesis-compatible endpoint (e.g. http://localstack:4566) that change records are"
                    + " delivered to, signed with the stream owner's credentials; empty means the emulator keeps them"
                    + " in memory, readable at /dsql-local/streams/<streamId>/records."),
    LOG_LEVEL("log-level", "DSQL_LOCAL_LOG_LEVEL", "info", "Log level: error, warn, info, debug, trace.");

    private final String flag;
    private final String envVar;
    private final String defaultValue;
    private final String description;

    Option(String flag, String envVar, String defaultValue, String description) {
        this.flag = flag;
        this.envVar = envVar;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String flag() {
        return flag;
    }

    public String envVar() {
        return envVar;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }
}
