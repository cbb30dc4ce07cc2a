package dev.dsqllocal.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** test_decoding lines → compacted write set → DSQL's records, splitting included (no database needed). */
class ChangeRecordFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsQuotedIdentifiersLiteralsAndKeyChanges() {
        DecodedLine line = TestDecodingParser.parse("table public.\"My T\": UPDATE: old-key: id[integer]:1"
                + " new-tuple: id[integer]:2 \"a b\"[text]:'it''s new-tuple: x' n[numeric]:null"
                + " t[timestamp with time zone]:'2026-01-02 03:04:05.5+00'");
        DecodedLine.Change change = (DecodedLine.Change) line;
        assertThat(change.table()).isEqualTo("My T");
        assertThat(change.oldKey()).extracting(ColumnValue::text).containsExactly("1");
        assertThat(change.newRow()).extracting(ColumnValue::name).containsExactly("id", "a b", "n", "t");
        assertThat(change.newRow().get(1).text()).isEqualTo("it's new-tuple: x");
        assertThat(change.newRow().get(2).text()).isNull();
        assertThat(CdcValues.toJson(change.newRow().get(3)).asLong()).isEqualTo(1767323045500000L);
        DecodedLine.Commit commit =
                (DecodedLine.Commit) TestDecodingParser.parse("COMMIT 771 (at 2026-01-02 03:04:05.123456+00)");
        assertThat(commit.committedAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05.123456Z"));
    }

    @Test
    void compactsEachRowToItsNetEffect() {
        TransactionWriteSet tx = new TransactionWriteSet((schema, table) -> List.of("id"));
        tx.add(change("INSERT: id[integer]:1 v[text]:'a'"));
        tx.add(change("UPDATE: id[integer]:1 v[text]:'b'"));
        tx.add(change("INSERT: id[integer]:2 v[text]:'x'"));
        tx.add(change("DELETE: id[integer]:2"));
        tx.add(change("UPDATE: id[integer]:3 v[text]:'c'"));
        tx.add(change("DELETE: id[integer]:4"));
        tx.add(change("INSERT: id[integer]:4 v[text]:'again'"));
        assertThat(tx.changes())
                .extracting(c -> c.op() + c.after() + c.before())
                .containsExactly(
                        "c{\"id\":1,\"v\":\"b\"}null",
                        "u{\"id\":3,\"v\":\"c\"}null",
                        "u{\"id\":4,\"v\":\"again\"}null");
    }

    @Test
    void anOversizedRecordIsSplitIntoFragmentsThatReassemble() throws Exception {
        ChangeRecordWriter writer = new ChangeRecordWriter(JSON, 2048);
        TransactionWriteSet tx = new TransactionWriteSet((schema, table) -> List.of("id"));
        String big = "é€".repeat(3000); // multi-byte characters: cuts fall between characters
        tx.add(change("INSERT: id[integer]:1 body[text]:'" + big + "'"));
        ChangeRecordWriter.Transaction t =
                ChangeRecordWriter.Transaction.of("cluster", 5, 100, Instant.parse("2026-01-01T00:00:00Z"));
        List<byte[]> records = writer.write(t, tx.changes().get(0), Instant.now());
        assertThat(records.size()).isGreaterThan(2);
        JsonNode main = JSON.readTree(records.get(0));
        assertThat(main.get("type").asText()).isEqualTo("chunked");
        assertThat(main.get("after").isNull()).isTrue();
        JsonNode ref = main.get("chunked").get("after");
        List<JsonNode> fragments = new ArrayList<>();
        for (byte[] r : records.subList(1, records.size())) {
            assertThat(r.length).isLessThanOrEqualTo(2048 * 2);
            fragments.add(JSON.readTree(r));
        }
        assertThat(fragments).allSatisfy(f -> {
            assertThat(f.get("type").asText()).isEqualTo("fragment");
            assertThat(f.get("chunk_id").asText()).isEqualTo(ref.get("chunk_id").asText());
        });
        assertThat(fragments).hasSize(ref.get("total_fragments").asInt());
        StringBuilder text = new StringBuilder();
        fragments.stream()
                .sorted(Comparator.comparingInt(f -> f.get("index").asInt()))
                .forEach(f -> text.append(f.get("data").asText()));
        CRC32C crc = new CRC32C();
        crc.update(text.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(ref.get("crc32c").asText()).isEqualTo(Long.toString(crc.getValue()));
        assertThat(JSON.readTree(text.toString()).get("body").asText()).isEqualTo(big);
        // redelivery of the same transaction names the same chunk
        JsonNode again = JSON.readTree(
                writer.write(t, tx.changes().get(0), Instant.now()).get(0));
        assertThat(again.get("chunked").get("after").get("chunk_id")).isEqualTo(ref.get("chunk_id"));
    }

    private static DecodedLine.Change change(String rest) {
        return (DecodedLine.Change) TestDecodingParser.parse("table public.t: " + rest);
    }
}
