package dev.dsqllocal.postgres;

/** The roles every cluster's PostgreSQL is created with (see {@link PostgresTemplate}). */
public final class InternalRoles {

    /** The internal superuser: the gateway's lookups and the dialect's own SQL use it; users never do. */
    public static final String SUPERUSER = "postgres";
    /** The role users connect as, as in Aurora DSQL. */
    public static final String ADMIN = "admin";

    private InternalRoles() {}
}
