package dev.dsqllocal.cdc;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The changes of one transaction, compacted as DSQL documents ("write-set compaction": at most one record per row
 * and transaction, its net effect): a row that did not exist before and does after is {@code c}, one that existed
 * and still does is {@code u}, one that existed and is gone is {@code d}, and one inserted then deleted in the same
 * transaction yields nothing. Rows are identified by table and primary key; a table without a primary key has no
 * row identity, so each of its changes is reported on its own. Records keep the order of each row's first change.
 */
final class TransactionWriteSet {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A compacted row change: op {@code c}/{@code u}/{@code d}; {@code before} holds the key of a deleted row. */
    record RowChange(String op, String schema, String table, ObjectNode before, ObjectNode after) {}

    private static final class Row {
        final String schema;
        final String table;
        final boolean existedBefore;
        boolean existsAfter;
        ObjectNode key;
        ObjectNode after;
        /** Set for a table without a primary key: the op as PostgreSQL reported it. */
        String unkeyedOp;

        Row(String schema, String table, boolean existedBefore) {
            this.schema = schema;
            this.table = table;
            this.existedBefore = existedBefore;
        }
    }

    /** Table (schema, name) → its primary-key columns in key order; empty for a table without one. */
    private final BiFunction<String, String, List<String>> primaryKeys;

    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Row> byKey = new HashMap<>();

    TransactionWriteSet(BiFunction<String, String, List<String>> primaryKeys) {
        this.primaryKeys = primaryKeys;
    }

    void add(DecodedLine.Change change) {
        List<String> pk = primaryKeys.apply(change.schema(), change.table());
        ObjectNode newRow = row(change.newRow(), null);
        if (pk.isEmpty()) {
            Row r = new Row(change.schema(), change.table(), change.op() != DecodedLine.Op.INSERT);
            r.unkeyedOp = switch (change.op()) {
                case INSERT -> "c";
                case UPDATE -> "u";
                case DELETE -> "d";
            };
            r.after = change.op() == DecodedLine.Op.DELETE ? null : newRow;
            rows.add(r);
            return;
        }
        switch (change.op()) {
            case INSERT -> upsert(change, pk, newRow, false);
            case UPDATE -> {
                ObjectNode oldKey = key(pk, row(change.oldKey(), null));
                if (oldKey != null && !oldKey.equals(key(pk, newRow))) {
                    // the primary key changed: the old row is gone, a row with the new key appears
                    remove(change, oldKey);
                    upsert(change, pk, newRow, false);
                } else {
                    upsert(change, pk, newRow, true);
                }
            }
            case DELETE -> {
                ObjectNode oldKey = key(pk, row(change.oldKey(), null));
                if (oldKey != null) {
                    remove(change, oldKey);
                }
            }
        }
    }

    /** The compacted changes, in the order each row was first changed. */
    List<RowChange> changes() {
        List<RowChange> out = new ArrayList<>();
        for (Row r : rows) {
            if (r.unkeyedOp != null) {
                out.add(new RowChange(r.unkeyedOp, r.schema, r.table, null, r.after));
            } else if (r.existedBefore && r.existsAfter) {
                out.add(new RowChange("u", r.schema, r.table, null, r.after));
            } else if (!r.existedBefore && r.existsAfter) {
                out.add(new RowChange("c", r.schema, r.table, null, r.after));
            } else if (r.existedBefore) {
                out.add(new RowChange("d", r.schema, r.table, r.key, null));
            }
        }
        return out;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    private void upsert(DecodedLine.Change change, List<String> pk, ObjectNode newRow, boolean existedIfNew) {
        ObjectNode key = key(pk, newRow);
        Row r = touch(change, key, existedIfNew);
        if (r.after != null) {
            // a large value the UPDATE did not touch is not repeated by logical decoding: keep the one we have
            r.after.fieldNames().forEachRemaining(name -> {
                if (!newRow.has(name)) {
                    newRow.set(name, r.after.get(name));
                }
            });
        }
        r.after = newRow;
        r.existsAfter = true;
    }

    private void remove(DecodedLine.Change change, ObjectNode key) {
        Row r = touch(change, key, true);
        r.after = null;
        r.existsAfter = false;
    }

    private Row touch(DecodedLine.Change change, ObjectNode key, boolean existedIfNew) {
        String id = change.schema() + '\u0000' + change.table() + '\u0000' + key;
        Row r = byKey.get(id);
        if (r == null) {
            r = new Row(change.schema(), change.table(), existedIfNew);
            r.key = key;
            byKey.put(id, r);
            rows.add(r);
        }
        return r;
    }

    /** The columns as a JSON object in column order; an unchanged TOASTed value is left out. */
    private static ObjectNode row(List<ColumnValue> columns, ObjectNode into) {
        ObjectNode out = into == null ? NODES.objectNode() : into;
        for (ColumnValue c : columns) {
            if (!c.unchangedToast()) {
                out.set(c.name(), CdcValues.toJson(c));
            }
        }
        return out;
    }

    /** The primary-key columns of {@code row}, in key order; null when the row does not carry them all. */
    private static ObjectNode key(List<String> pk, ObjectNode row) {
        ObjectNode key = NODES.objectNode();
        for (String column : pk) {
            if (!row.has(column)) {
                return null;
            }
            key.set(column, row.get(column));
        }
        return key;
    }
}
