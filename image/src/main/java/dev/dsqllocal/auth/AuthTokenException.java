package dev.dsqllocal.auth;

/**
 * A refused auth token. The message is the reason DSQL puts in the {@code HINT} field of its
 * {@code 08006 unable to accept connection, access denied} error
 * (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/troubleshooting.html).
 */
public final class AuthTokenException extends Exception {
    private static final long serialVersionUID = 1L;

    public AuthTokenException(String hint) {
        super(hint, null, false, false);
    }

    /** The text for the {@code HINT} field. */
    public String hint() {
        return getMessage();
    }
}
