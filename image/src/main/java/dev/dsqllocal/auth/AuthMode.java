package dev.dsqllocal.auth;

/** How strictly SigV4 request signatures and SQL auth tokens are checked. */
public enum AuthMode {
    /** Signatures are recomputed with the configured secret of the access key; unknown keys are refused. */
    STRICT,
    /**
     * Any access key is accepted and signatures are not checked (the request must still be well-formed SigV4);
     * every caller acts in the default account. For users who want "any credentials work".
     */
    RELAXED
}
