package dev.dsqllocal.cdc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dsqllocal.clusters.ClusterIds;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes DSQL's CDC records (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/cdc-record-format.html): the
 * envelope {@code type}, {@code op}, {@code before}, {@code after}, {@code source} (version 1.0, commit time in ms
 * and ns, transaction id, schema, table, db, cluster) and the processing time {@code ts_ms}/{@code ts_ns}. A record
 * whose JSON exceeds the split threshold (9 MiB, as DSQL) has its row image split on UTF-8 boundaries into
 * {@code fragment} records, and becomes a {@code chunked} record that names them with their count and CRC32C.
 */
final class ChangeRecordWriter {
    static final int DSQL_SPLIT_THRESHOLD = 9 * 1024 * 1024;
    /** Room for a fragment's envelope (type, chunk id, index, JSON escaping of its text). */
    private static final int FRAGMENT_OVERHEAD = 256;

    private final ObjectMapper json;
    private final int splitThreshold;

    ChangeRecordWriter(ObjectMapper json, int splitThreshold) {
        this.json = json;
        this.splitThreshold = splitThreshold;
    }

    /** What all records of one committed transaction share. */
    record Transaction(String clusterId, String txId, Instant committedAt) {

        /**
         * The transaction id: base32 of a hash of cluster, PostgreSQL transaction id and commit position, so a
         * redelivered transaction keeps its id (and its split records their chunk ids).
         */
        static Transaction of(String clusterId, long xid, long commitLsn, Instant committedAt) {
            return new Transaction(
                    clusterId, ClusterIds.base32(digest(clusterId + ':' + xid + ':' + commitLsn)), committedAt);
        }
    }

    /** The records of one row change: one, or a chunked record and its fragments. */
    List<byte[]> write(Transaction tx, TransactionWriteSet.RowChange change, Instant processedAt) {
        ObjectNode record = envelope(tx, change, processedAt);
        byte[] full = bytes(record);
        if (full.length <= splitThreshold) {
            return List.of(full);
        }
        List<byte[]> out = new ArrayList<>();
        ObjectNode chunked = record.putObject("chunked");
        for (String image : List.of("before", "after")) {
            JsonNode value = record.get(image);
            if (value == null || value.isNull()) {
                continue;
            }
            String text = new String(bytes(value), StandardCharsets.UTF_8);
            String chunkId = ClusterIds.base32(
                    digest(tx.txId() + ':' + change.schema() + '.' + change.table() + ':' + image + ':' + text));
            List<String> pieces = utf8Pieces(text, Math.max(1024, splitThreshold - FRAGMENT_OVERHEAD));
            for (int i = 0; i < pieces.size(); i++) {
                ObjectNode fragment = json.createObjectNode();
                fragment.put("type", "fragment");
                fragment.put("chunk_id", chunkId);
                fragment.put("index", i);
                fragment.put("data", pieces.get(i));
                out.add(bytes(fragment));
            }
            CRC32C crc = new CRC32C();
            crc.update(text.getBytes(StandardCharsets.UTF_8));
            ObjectNode ref = chunked.putObject(image);
            ref.put("chunk_id", chunkId);
            ref.put("total_fragments", pieces.size());
            ref.put("crc32c", Long.toString(crc.getValue()));
            record.putNull(image);
        }
        record.put("type", "chunked");
        out.add(0, bytes(record));
        return out;
    }

    private ObjectNode envelope(Transaction tx, TransactionWriteSet.RowChange change, Instant processedAt) {
        ObjectNode r = json.createObjectNode();
        r.put("type", "full");
        r.put("op", change.op());
        r.set("before", change.before() == null ? json.nullNode() : change.before());
        r.set("after", change.after() == null ? json.nullNode() : change.after());
        ObjectNode source = r.putObject("source");
        source.put("version", "1.0");
        source.put("ts_ms", tx.committedAt().toEpochMilli());
        source.put("ts_ns", nanos(tx.committedAt()));
        source.put("txId", tx.txId());
        source.put("schema", change.schema());
        source.put("table", change.table());
        source.put("db", "postgres");
        source.put("cluster", tx.clusterId());
        r.put("ts_ms", processedAt.toEpochMilli());
        r.put("ts_ns", nanos(processedAt));
        return r;
    }

    /** {@code text} cut into pieces of at most {@code maxBytes} UTF-8 bytes, never inside a character. */
    static List<String> utf8Pieces(String text, int maxBytes) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        int bytes = 0;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > maxBytes) {
                pieces.add(text.substring(start, i));
                start = i;
                bytes = 0;
            }
            bytes += len;
            i += Character.charCount(cp);
        }
        pieces.add(text.substring(start));
        return pieces;
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] digest(String text) {
        try {
            return Arrays.copyOf(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)), 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
