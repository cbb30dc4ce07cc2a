package dev.dsqllocal.server;

import java.util.Arrays;

/**
 * {@code java -jar dsql-local.jar [--option value]...}: parses the settings, starts the emulator and stops it
 * cleanly (every PostgreSQL server, the ephemeral data directory) when the JVM is asked to exit.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(ServerConfig.help());
            System.exit(0);
            return;
        }
        ServerConfig config;
        try {
            config = ServerConfig.parse(args, System.getenv());
        } catch (ConfigException e) {
            System.err.println("dsql-local: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (!java.util.Set.of("error", "warn", "info", "debug", "trace").contains(config.logLevel())) {
            System.err.println(
                    "dsql-local: --log-level / DSQL_LOCAL_LOG_LEVEL must be error, warn, info, debug or trace,"
                            + " not '" + config.logLevel() + "'");
            System.exit(2);
            return;
        }
        configureLogging(config.logLevel());
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Main.class);
        DsqlLocalServer server;
        try {
            server = DsqlLocalServer.start(config);
        } catch (ConfigException e) {
            System.err.println("dsql-local: " + e.getMessage());
            System.exit(2);
            return;
        } catch (Exception e) {
            log.error("DSQL Local failed to start", e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
    }

    /** slf4j-simple reads its settings once, when the first logger is made, so they are set before that. */
    static void configureLogging(String level) {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", level);
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.out");
        // Third-party libraries stay quiet unless asked for debug output.
        setIfAbsent("org.slf4j.simpleLogger.log.io.netty", level.equals("trace") ? "debug" : "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.software.amazon", "warn");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
