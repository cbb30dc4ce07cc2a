package dev.dsqllocal.dialect;

/**
 * Identifiers of the dialect rules. The data (dates, SQLSTATE, wording, evidence) lives in
 * {@code dialect/rules.json}; this enum is the binding between that file and the code that decides when a
 * rule applies. Loading fails if the two disagree.
 */
public enum RuleId {
    UNSUPPORTED_STATEMENT("unsupported-statement"),
    UNSUPPORTED_STATEMENT_INFERRED("unsupported-statement-inferred"),
    MERGE("merge"),
    VACUUM("vacuum"),
    CREATE_TRIGGER("create-trigger"),
    CREATE_PROCEDURE("create-procedure"),
    FUNCTION_LANGUAGE("function-language"),
    CREATE_TYPE("create-type"),
    ALTER_TYPE("alter-type"),
    RENAME_TYPE("rename-type"),
    DROP_TYPE("drop-type"),
    TEMPORARY_TABLE("temporary-table"),
    UNLOGGED_TABLE("unlogged-table"),
    TABLE_INHERITS("table-inherits"),
    TABLE_PARTITIONING("table-partitioning"),
    TABLE_PARTITION_OF("table-partition-of"),
    TABLE_TABLESPACE("table-tablespace"),
    TABLE_STORAGE_PARAMETERS("table-storage-parameters"),
    TABLE_COLLATE("table-collate"),
    SERIAL_TYPE("serial-type"),
    ARRAY_COLUMN("array-column"),
    UNSUPPORTED_COLUMN_TYPE("unsupported-column-type"),
    IDENTITY_CACHE("identity-cache"),
    IDENTITY_TYPE("identity-type"),
    SEQUENCE_CACHE("sequence-cache"),
    SEQUENCE_TYPE("sequence-type"),
    FOREIGN_KEY("foreign-key"),
    ALTER_ADD_COLUMN_CONSTRAINT("alter-add-column-constraint"),
    ALTER_COLUMN_TYPE("alter-column-type"),
    ALTER_SET_STATISTICS("alter-set-statistics"),
    ALTER_SET_NOT_NULL("alter-set-not-null"),
    ALTER_ADD_CONSTRAINT("alter-add-constraint"),
    ALTER_ADD_CONSTRAINT_NOT_VALID("alter-add-constraint-not-valid"),
    ALTER_VALIDATE_CONSTRAINT("alter-validate-constraint"),
    ALTER_VALIDATE_CONSTRAINT_ASYNC("alter-validate-constraint-async"),
    ALTER_DROP_COLUMN("alter-drop-column"),
    TRANSACTION_STATEMENT("transaction-statement"),
    ISOLATION_LEVEL("isolation-level"),
    SET_TRANSACTION("set-transaction"),
    SET_PARAMETER("set-parameter"),
    SET_ROLE("set-role"),
    SHOW_PARAMETER("show-parameter"),
    LOCKING_CLAUSE("locking-clause"),
    TABLESAMPLE("tablesample"),
    UNSUPPORTED_FUNCTION("unsupported-function"),
    UNSUPPORTED_FUNCTION_INFERRED("unsupported-function-inferred"),
    SYNC_CREATE_INDEX("sync-create-index"),
    CREATE_INDEX_CONCURRENTLY("create-index-concurrently"),
    INDEX_SORT_ORDER("index-sort-order"),
    INDEX_OPCLASS("index-opclass"),
    INDEX_METHOD("index-method"),
    PARTIAL_INDEX("partial-index"),
    EXPRESSION_INDEX("expression-index"),
    COPY_SERVER_FILE("copy-server-file"),
    MULTIPLE_DDL("multiple-ddl"),
    DDL_DML_MIX("ddl-dml-mix"),
    ROW_LIMIT("row-limit"),
    SIZE_LIMIT("size-limit"),
    AGE_LIMIT("age-limit"),
    ABORTED_TRANSACTION("aborted-transaction"),
    ANALYZE_IN_TRANSACTION("analyze-in-transaction"),
    TABLE_COLUMN_COUNT("table-column-count"),
    INDEX_COLUMN_COUNT("index-column-count"),
    INDEX_KEY_COLUMNS("index-key-columns");

    private final String key;

    RuleId(String key) {
        this.key = key;
    }

    /** The id used in rules.json. */
    public String key() {
        return key;
    }

    static RuleId fromKey(String key) {
        for (RuleId id : values()) {
            if (id.key.equals(key)) {
                return id;
            }
        }
        throw new IllegalArgumentException("unknown dialect rule id '" + key + "'");
    }
}
