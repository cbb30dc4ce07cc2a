package dev.dsqllocal.controlplane;

import dev.dsqllocal.clusters.ClusterException;
import dev.dsqllocal.clusters.ClusterException.AccessDenied;
import dev.dsqllocal.clusters.ClusterException.Conflict;
import dev.dsqllocal.clusters.ClusterException.InvalidInput;
import dev.dsqllocal.clusters.ClusterException.NotFound;
import dev.dsqllocal.clusters.ClusterException.QuotaExceeded;
import java.util.List;
import java.util.Locale;

/**
 * The AWS error for each domain refusal: the error types, HTTP codes and members of the DSQL model
 * (https://docs.aws.amazon.com/aurora-dsql/latest/APIReference/CommonErrors.html and each operation's Errors).
 */
final class DomainErrors {
    private DomainErrors() {}

    static ApiException toApi(ClusterException e) {
        if (e instanceof NotFound n) {
            return ApiException.notFound(e.getMessage(), n.resourceId(), resourceType(n.resource()));
        }
        if (e instanceof Conflict c) {
            return ApiException.conflict(
                    e.getMessage(),
                    c.resourceId().orElse(null),
                    c.resource().map(DomainErrors::resourceType).orElse(null));
        }
        if (e instanceof QuotaExceeded q) {
            return ApiException.quotaExceeded(
                    e.getMessage(), q.resourceId(), resourceType(q.resource()), quotaCode(q.quota()));
        }
        if (e instanceof InvalidInput i) {
            return switch (i.reason()) {
                case FIELD -> ApiException.invalidField(i.field().orElseThrow(), e.getMessage());
                case DELETION_PROTECTION ->
                    ApiException.validation("deletionProtectionEnabled", e.getMessage(), List.of());
                case OTHER -> ApiException.validation("other", e.getMessage(), List.of());
            };
        }
        if (e instanceof AccessDenied) {
            return ApiException.accessDenied(e.getMessage());
        }
        throw new IllegalStateException("unmapped domain error " + e.getClass().getName(), e);
    }

    /** resourceType as the API writes it: {@code cluster}, {@code stream}, {@code tag}. */
    private static String resourceType(ClusterException.Resource resource) {
        return resource.name().toLowerCase(Locale.ROOT);
    }

    /** The emulator's own quota codes (AWS's are opaque identifiers of Service Quotas). */
    private static String quotaCode(ClusterException.Quota quota) {
        return switch (quota) {
            case SINGLE_REGION_CLUSTERS -> "dsql-local-single-region-clusters";
            case MULTI_REGION_CLUSTERS -> "dsql-local-multi-region-clusters";
            case STREAMS_PER_CLUSTER -> "dsql-local-streams-per-cluster";
            case TAGS_PER_RESOURCE -> "dsql-local-tags-per-resource";
        };
    }
}
