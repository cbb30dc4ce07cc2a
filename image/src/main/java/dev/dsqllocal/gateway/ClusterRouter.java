package dev.dsqllocal.gateway;

import dev.dsqllocal.clusters.ClusterDirectory;
import dev.dsqllocal.clusters.ClusterView;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Picks the cluster a connection is for: the one named by the token's host ({@code <id>.dsql.<region>.on.aws}),
 * else the one named by the TLS SNI name, else (a token signed for {@code localhost}, an IP address or a container
 * host name) the directory's default cluster.
 */
final class ClusterRouter {
    private static final Pattern ENDPOINT = Pattern.compile("([a-z0-9]+)\\.dsql\\.([a-z0-9-]+)\\.on\\.aws\\.?");

    private ClusterRouter() {}

    /** Returns the cluster, or the error to answer. */
    static Object route(ClusterDirectory clusters, String tokenHost, String sniHost) {
        Optional<String> named = clusterId(tokenHost).or(() -> clusterId(sniHost));
        if (named.isPresent()) {
            Optional<ClusterView> cluster = clusters.find(named.get());
            return cluster.isPresent() ? cluster.get() : GatewayError.unknownCluster(named.get());
        }
        Optional<ClusterView> fallback = clusters.defaultCluster();
        return fallback.isPresent() ? fallback.get() : GatewayError.noCluster();
    }

    /** The cluster identifier in a DSQL endpoint host name (port and case ignored). */
    static Optional<String> clusterId(String host) {
        if (host == null) {
            return Optional.empty();
        }
        String name = host.toLowerCase(java.util.Locale.ROOT);
        int colon = name.lastIndexOf(':');
        if (colon > 0 && name.indexOf(':') == colon) {
            name = name.substring(0, colon);
        }
        Matcher m = ENDPOINT.matcher(name);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
