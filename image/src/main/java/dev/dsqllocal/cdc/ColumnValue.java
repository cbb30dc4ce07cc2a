package dev.dsqllocal.cdc;

/**
 * One column of a decoded row: its name, PostgreSQL type name ({@code format_type} spelling, e.g.
 * {@code character varying}) and value in PostgreSQL's text form; {@code text} is null for SQL NULL.
 * {@code unchangedToast} marks a large value an UPDATE did not touch, which logical decoding does not repeat.
 */
record ColumnValue(String name, String type, String text, boolean unchangedToast) {}
