package dev.dsqllocal.gateway;

import dev.dsqllocal.auth.Principal;
import dev.dsqllocal.clusters.ClusterView;

/**
 * Which IAM principals may log in as which custom database roles ({@code AWS IAM GRANT}, COMPAT.md §3). A
 * {@code DbConnect} token for a role other than {@code admin} is accepted only with a mapping.
 */
@FunctionalInterface
public interface RoleMappings {

    /** Until IAM role mappings exist, no custom role can log in. */
    RoleMappings NONE = (cluster, role, principal) -> false;

    boolean isMapped(ClusterView cluster, String role, Principal principal);
}
