package dev.dsqllocal.gateway;

import dev.dsqllocal.auth.AuthTokenVerifier;
import dev.dsqllocal.auth.CredentialStore;
import dev.dsqllocal.clusters.ClusterDirectory;
import dev.dsqllocal.session.SessionPolicy;
import dev.dsqllocal.tls.ServerTls;
import io.netty.channel.EventLoopGroup;

/** Everything the per-connection handlers share; immutable apart from the thread-safe registries. */
record GatewayContext(
        GatewaySettings settings,
        ServerTls tls,
        ClusterDirectory clusters,
        CredentialStore credentials,
        AuthTokenVerifier verifier,
        RoleMappings roleMappings,
        SessionPolicy.Factory policies,
        ClusterQuotas quotas,
        CancelKeys cancelKeys,
        EventLoopGroup workers,
        SessionCounter sessions,
        SetupTimings timings) {}
