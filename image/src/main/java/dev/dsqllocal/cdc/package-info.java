/**
 * CDC streams deliver: each stream reads its cluster's committed changes from a PostgreSQL logical replication slot
 * (the {@code test_decoding} plugin, through pgJDBC's replication API), compacts each transaction's write set, writes
 * DSQL's JSON change records and delivers them to the stream's Kinesis target (or keeps them in memory when no
 * Kinesis endpoint is configured). The record format follows "Understanding CDC records" in the Aurora DSQL user
 * guide: https://docs.aws.amazon.com/aurora-dsql/latest/userguide/cdc-record-format.html
 */
package dev.dsqllocal.cdc;
