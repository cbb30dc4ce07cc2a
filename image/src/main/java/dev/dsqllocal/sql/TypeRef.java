package dev.dsqllocal.sql;

import java.util.Locale;
import java.util.Map;

/**
 * A type as written in a column definition, with the name PostgreSQL's {@code format_type} would display,
 * which is how DSQL names types in its refusals ({@code datatype integer[] not supported}).
 *
 * @param written     the type name as written, folded, without modifiers (e.g. {@code int4}, {@code bigserial})
 * @param displayName canonical name without modifiers or array marker (e.g. {@code integer}, {@code bit varying})
 * @param schema      explicit schema, or null
 * @param array       declared as an array ({@code []}, {@code [n]}, {@code ARRAY})
 */
public record TypeRef(String written, String displayName, String schema, boolean array) {

    private static final Map<String, String> CANONICAL = Map.ofEntries(
            Map.entry("int", "integer"),
            Map.entry("int4", "integer"),
            Map.entry("integer", "integer"),
            Map.entry("bigint", "bigint"),
            Map.entry("int8", "bigint"),
            Map.entry("smallint", "smallint"),
            Map.entry("int2", "smallint"),
            Map.entry("real", "real"),
            Map.entry("float4", "real"),
            Map.entry("float8", "double precision"),
            Map.entry("double precision", "double precision"),
            Map.entry("float", "double precision"),
            Map.entry("numeric", "numeric"),
            Map.entry("decimal", "numeric"),
            Map.entry("dec", "numeric"),
            Map.entry("bool", "boolean"),
            Map.entry("boolean", "boolean"),
            Map.entry("char", "character"),
            Map.entry("character", "character"),
            Map.entry("nchar", "character"),
            Map.entry("national character", "character"),
            Map.entry("national char", "character"),
            Map.entry("varchar", "character varying"),
            Map.entry("character varying", "character varying"),
            Map.entry("char varying", "character varying"),
            Map.entry("national character varying", "character varying"),
            Map.entry("national char varying", "character varying"),
            Map.entry("varbit", "bit varying"),
            Map.entry("bit varying", "bit varying"),
            Map.entry("timestamp", "timestamp without time zone"),
            Map.entry("timestamp without time zone", "timestamp without time zone"),
            Map.entry("timestamptz", "timestamp with time zone"),
            Map.entry("timestamp with time zone", "timestamp with time zone"),
            Map.entry("time", "time without time zone"),
            Map.entry("time without time zone", "time without time zone"),
            Map.entry("timetz", "time with time zone"),
            Map.entry("time with time zone", "time with time zone"),
            Map.entry("serial4", "serial"),
            Map.entry("serial8", "bigserial"),
            Map.entry("serial2", "smallserial"));

    /** Builds a reference from the folded words of a type name, e.g. {@code ["double", "precision"]}. */
    static TypeRef of(String writtenName, String schema, boolean array) {
        String written = writtenName.toLowerCase(Locale.ROOT);
        String display = written;
        if (schema == null || schema.equals("pg_catalog")) {
            display = CANONICAL.getOrDefault(written, written);
        }
        return new TypeRef(written, display, schema, array);
    }

    /** {@code float(p)}: PostgreSQL maps p ≤ 24 to real, larger to double precision. */
    static TypeRef floatWithPrecision(int precision, boolean array) {
        return new TypeRef("float", precision <= 24 ? "real" : "double precision", null, array);
    }

    /** The name used in DSQL messages: display name, plus {@code []} for arrays. */
    public String messageName() {
        return array ? displayName + "[]" : displayName;
    }

    public boolean isSerial() {
        return schema == null
                && (displayName.equals("serial")
                        || displayName.equals("bigserial")
                        || displayName.equals("smallserial"));
    }
}
