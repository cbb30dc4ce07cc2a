package dev.dsqllocal.dialect;

/**
 * What statement checks need to know about the session.
 *
 * @param inTransactionBlock      an explicit transaction (BEGIN) is open
 * @param syncCreateIndexDisabled value of DSQL's {@code disable_sync_create_index} (default on)
 */
public record SessionState(boolean inTransactionBlock, boolean syncCreateIndexDisabled) {

    public static SessionState initial() {
        return new SessionState(false, true);
    }
}
