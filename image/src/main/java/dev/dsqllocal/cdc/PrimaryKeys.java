package dev.dsqllocal.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The primary-key columns of a cluster's tables, read from the catalog once per table and remembered: DSQL cannot
 * change a table's primary key, and a table dropped and created again under its name is looked up again when
 * {@link #forget} is called (on DDL seen in the stream of changes, i.e. different columns).
 */
final class PrimaryKeys {
    private static final String QUERY = """
            SELECT a.attname
              FROM pg_index i
              JOIN pg_class c ON c.oid = i.indrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
              JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
             WHERE i.indisprimary AND n.nspname = ? AND c.relname = ?
             ORDER BY k.ord""";

    private final Connection catalog;
    private final Map<String, List<String>> keys = new ConcurrentHashMap<>();

    PrimaryKeys(Connection catalog) {
        this.catalog = catalog;
    }

    List<String> of(String schema, String table) {
        return keys.computeIfAbsent(schema + '.' + table, k -> lookup(schema, table));
    }

    void forget(String schema, String table) {
        keys.remove(schema + '.' + table);
    }

    private List<String> lookup(String schema, String table) {
        try (PreparedStatement s = catalog.prepareStatement(QUERY)) {
            s.setString(1, schema);
            s.setString(2, table);
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
            return List.copyOf(columns);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the primary key of " + schema + "." + table, e);
        }
    }
}
