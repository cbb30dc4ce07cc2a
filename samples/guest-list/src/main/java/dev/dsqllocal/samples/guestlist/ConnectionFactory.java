package dev.dsqllocal.samples.guestlist;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens a new connection to the cluster (each with a fresh auth token: DSQL checks tokens only at connect time). */
@FunctionalInterface
public interface ConnectionFactory {
    Connection open() throws SQLException;
}
