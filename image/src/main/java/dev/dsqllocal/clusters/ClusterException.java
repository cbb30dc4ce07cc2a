package dev.dsqllocal.clusters;

import java.util.Optional;

/**
 * Why a cluster, stream, policy or tag operation was refused, in the domain's terms. The control plane maps each
 * kind to the AWS error of the same meaning (ResourceNotFoundException, ConflictException, ...); the domain knows
 * nothing of HTTP status codes or wire names.
 */
public abstract sealed class ClusterException extends RuntimeException {

    /** The kinds of resource an error can name. */
    public enum Resource {
        CLUSTER,
        STREAM,
        TAG
    }

    /** The per-account-and-Region limits of the emulator. */
    public enum Quota {
        SINGLE_REGION_CLUSTERS,
        MULTI_REGION_CLUSTERS,
        STREAMS_PER_CLUSTER,
        TAGS_PER_RESOURCE
    }

    private ClusterException(String message) {
        super(message, null, false, false);
    }

    /** The named resource does not exist for the caller. */
    public static final class NotFound extends ClusterException {
        private final String resourceId;
        private final Resource resource;

        public NotFound(String message, String resourceId, Resource resource) {
            super(message);
            this.resourceId = resourceId;
            this.resource = resource;
        }

        public String resourceId() {
            return resourceId;
        }

        public Resource resource() {
            return resource;
        }
    }

    /** The request contradicts the resource's current state (wrong status, existing id, used token, version). */
    public static final class Conflict extends ClusterException {
        private final String resourceId;
        private final Resource resource;

        public Conflict(String message, String resourceId, Resource resource) {
            super(message);
            this.resourceId = resourceId;
            this.resource = resource;
        }

        public Optional<String> resourceId() {
            return Optional.ofNullable(resourceId);
        }

        public Optional<Resource> resource() {
            return Optional.ofNullable(resource);
        }
    }

    /** A limit would be exceeded. */
    public static final class QuotaExceeded extends ClusterException {
        private final String resourceId;
        private final Resource resource;
        private final Quota quota;

        public QuotaExceeded(String message, String resourceId, Resource resource, Quota quota) {
            super(message);
            this.resourceId = resourceId;
            this.resource = resource;
            this.quota = quota;
        }

        public String resourceId() {
            return resourceId;
        }

        public Resource resource() {
            return resource;
        }

        public Quota quota() {
            return quota;
        }
    }

    /**
     * The input breaks a rule beyond the API model's constraints: a field's value ({@code field} names it), deletion
     * protection still on, or another precondition.
     */
    public static final class InvalidInput extends ClusterException {
        /** What kind of rule was broken. */
        public enum Reason {
            FIELD,
            DELETION_PROTECTION,
            OTHER
        }

        private final Reason reason;
        private final String field;

        private InvalidInput(Reason reason, String field, String message) {
            super(message);
            this.reason = reason;
            this.field = field;
        }

        public static InvalidInput field(String field, String message) {
            return new InvalidInput(Reason.FIELD, field, message);
        }

        public static InvalidInput deletionProtection(String message) {
            return new InvalidInput(Reason.DELETION_PROTECTION, null, message);
        }

        public static InvalidInput other(String message) {
            return new InvalidInput(Reason.OTHER, null, message);
        }

        public Reason reason() {
            return reason;
        }

        /** The offending field's path for {@link Reason#FIELD}. */
        public Optional<String> field() {
            return Optional.ofNullable(field);
        }
    }

    /** The caller's account may not act on the resource. */
    public static final class AccessDenied extends ClusterException {
        public AccessDenied(String message) {
            super(message);
        }
    }
}
