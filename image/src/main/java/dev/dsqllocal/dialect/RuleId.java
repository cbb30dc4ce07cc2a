package dev.dsqllocal.dialect;

import java.util.List;
import java.util.Objects;

/**
 * The id of a rule of {@code dialect/rules.json}. Rules are data: most are found by their {@code match}
 * predicate and never named in code. The constants below are the few rules that code raises by name, because
 * what decides them is a state machine (transactions), a verdict that needs the database
 * ({@link Verdict.PassIfTableEmpty}) or a startup parameter rather than a statement; loading the table fails if
 * one of them has no entry.
 */
public record RuleId(String key) {

    public static final RuleId SYNC_CREATE_INDEX = new RuleId("sync-create-index");
    /** Also refuses a startup parameter that is not on the allow-list. */
    public static final RuleId SET_PARAMETER = new RuleId("set-parameter");

    public static final RuleId MULTIPLE_DDL = new RuleId("multiple-ddl");
    public static final RuleId DDL_DML_MIX = new RuleId("ddl-dml-mix");
    public static final RuleId ROW_LIMIT = new RuleId("row-limit");
    public static final RuleId SIZE_LIMIT = new RuleId("size-limit");
    public static final RuleId AGE_LIMIT = new RuleId("age-limit");
    public static final RuleId ABORTED_TRANSACTION = new RuleId("aborted-transaction");
    public static final RuleId ANALYZE_IN_TRANSACTION = new RuleId("analyze-in-transaction");

    /** The rules code raises by name. */
    static final List<RuleId> RAISED_BY_CODE = List.of(
            SYNC_CREATE_INDEX,
            SET_PARAMETER,
            MULTIPLE_DDL,
            DDL_DML_MIX,
            ROW_LIMIT,
            SIZE_LIMIT,
            AGE_LIMIT,
            ABORTED_TRANSACTION,
            ANALYZE_IN_TRANSACTION);

    public RuleId {
        Objects.requireNonNull(key, "key");
        if (!key.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("a rule id is lower-case words joined by '-', got '" + key + "'");
        }
    }

    @Override
    public String toString() {
        return key;
    }
}
