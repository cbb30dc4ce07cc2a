package dev.dsqllocal.dialect;

import java.util.Locale;

/** What a rule's predicate is asked about: the statement as a whole, or each element of one kind in it. */
public enum RuleScope {
    STATEMENT,
    /** Each column a CREATE TABLE defines or an ALTER TABLE ... ADD COLUMN adds. */
    COLUMN,
    /** Each action of an ALTER TABLE. */
    ALTER_ACTION,
    /** Each function called in the statement. */
    FUNCTION_CALL;

    /** The spelling in rules.json ({@code alter-action}). */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static RuleScope fromKey(String key) {
        for (RuleScope scope : values()) {
            if (scope.key().equals(key)) {
                return scope;
            }
        }
        throw new IllegalArgumentException("unknown rule scope '" + key + "'");
    }
}
