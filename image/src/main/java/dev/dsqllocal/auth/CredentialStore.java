package dev.dsqllocal.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configured credentials, looked up by access key id; shared by the control plane and the SQL gateway. */
public final class CredentialStore {
    private final Map<String, Principal> byAccessKey = new LinkedHashMap<>();
    private final AuthMode mode;
    private final Principal defaultPrincipal;

    public CredentialStore(List<Principal> principals, AuthMode mode) {
        if (principals.isEmpty()) {
            throw new IllegalArgumentException("at least the default credentials are needed");
        }
        for (Principal p : principals) {
            byAccessKey.putIfAbsent(p.accessKeyId(), p);
        }
        this.mode = mode;
        this.defaultPrincipal = principals.get(0);
    }

    public AuthMode mode() {
        return mode;
    }

    /** The credentials given by {@code --access-key}/{@code --secret-key}. */
    public Principal defaultPrincipal() {
        return defaultPrincipal;
    }

    /** The configured principal for this access key, if any (regardless of mode). */
    public Optional<Principal> find(String accessKeyId) {
        return Optional.ofNullable(byAccessKey.get(accessKeyId));
    }

    /**
     * The identity a request signed with {@code accessKeyId} acts as: in strict mode only a configured key; in
     * relaxed mode a configured key keeps its account, any other key acts in the default account.
     */
    public Optional<Principal> resolve(String accessKeyId) {
        Principal known = byAccessKey.get(accessKeyId);
        if (known != null || mode == AuthMode.STRICT) {
            return Optional.ofNullable(known);
        }
        return Optional.of(new Principal(
                accessKeyId,
                "",
                defaultPrincipal.accountId(),
                "arn:aws:iam::" + defaultPrincipal.accountId() + ":root"));
    }
}
