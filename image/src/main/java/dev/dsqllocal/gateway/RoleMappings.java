package dev.dsqllocal.gateway;

import dev.dsqllocal.auth.Principal;
import dev.dsqllocal.clusters.ClusterView;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Which IAM principals may log in as which custom database roles ({@code AWS IAM GRANT},
 * https://docs.aws.amazon.com/aurora-dsql/latest/userguide/using-database-and-iam-roles.html). A
 * {@code DbConnect} token for a role other than {@code admin} is accepted only with a mapping.
 */
@FunctionalInterface
public interface RoleMappings {

    /** No custom role can log in. */
    RoleMappings NONE = (cluster, role, principal) -> false;

    boolean isMapped(ClusterView cluster, String role, Principal principal);

    /**
     * Why {@code principal} may not log in as {@code role} (the HINT of the refusal), or empty when it may. Called
     * on the gateway's event loop: implementations that do I/O must complete the stage elsewhere. By default,
     * {@link #isMapped} answered at once.
     */
    default CompletionStage<Optional<String>> refusal(ClusterView cluster, String role, Principal principal) {
        return CompletableFuture.completedFuture(
                isMapped(cluster, role, principal) ? Optional.empty() : Optional.of(unmappedHint(role, principal)));
    }

    /** The HINT for a principal without a mapping to the role. */
    static String unmappedHint(String role, Principal principal) {
        return "Role " + role + " has no IAM mapping for " + principal.principalArn() + " (grant it with AWS IAM GRANT "
                + role + " TO '<IAM ARN>')";
    }
}
