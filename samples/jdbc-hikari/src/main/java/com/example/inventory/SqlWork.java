package com.example.inventory;

import java.sql.Connection;
import java.sql.SQLException;

/** The body of one transaction, given its connection. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
