package dev.dsqllocal.concurrency;

import dev.dsqllocal.sql.StatementClassifier;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrencyInterceptorTest {

    @Test
    void findsTheTableADmlStatementWrites() {
        assertThat(ConcurrencyInterceptor.dmlTarget(StatementClassifier.classifySingle(
                "INSERT INTO app.\"Orders\" (id) VALUES (1)"))).contains("app.orders");
        assertThat(ConcurrencyInterceptor.dmlTarget(StatementClassifier.classifySingle(
                "UPDATE ONLY items SET v = 1"))).contains("items");
        assertThat(ConcurrencyInterceptor.dmlTarget(StatementClassifier.classifySingle(
                "WITH x AS (SELECT 1) DELETE FROM public.items USING x"))).contains("public.items");
        assertThat(ConcurrencyInterceptor.dmlTarget(StatementClassifier.classifySingle(
                "SELECT * FROM items FOR UPDATE"))).isEmpty();
    }

    @Test
    void postgresConflictsBecomeDsqlOc000AndOtherErrorsPassUntouched() {
        for (String code : new String[]{"40001", "55P03", "40P01"}) {
            ByteBuf rewritten = ConcurrencyInterceptor.asDsqlConflict(error(code, "could not serialize access"));
            String text = rewritten.toString(StandardCharsets.UTF_8);
            assertThat(text).contains("C40001\0").contains("Mchange conflicts with another transaction (OC000)\0")
                    .doesNotContain("Wcontext");
            rewritten.release();
        }
        ByteBuf other = error("23505", "duplicate key");
        assertThat(ConcurrencyInterceptor.asDsqlConflict(other)).isSameAs(other);
        ByteBuf own = ConcurrencyInterceptor.asDsqlConflict(
                error("40001", "schema has been updated by another transaction (OC001)"));
        assertThat(own.toString(StandardCharsets.UTF_8))
                .contains("Mschema has been updated by another transaction (OC001)\0").doesNotContain("Wcontext");
    }

    @Test
    void recognisesTheNoticeOfDdlThatDidNothing() {
        assertThat(ConcurrencyInterceptor.isSkippedDdlNotice(notice("42P07",
                "relation \"t\" already exists, skipping"))).isTrue();
        assertThat(ConcurrencyInterceptor.isSkippedDdlNotice(notice("00000",
                "table \"t\" does not exist, skipping"))).isTrue();
        assertThat(ConcurrencyInterceptor.isSkippedDdlNotice(notice("00000", "drop cascades to table t"))).isFalse();
        assertThat(ConcurrencyInterceptor.isSkippedDdlNotice(notice("P0001", "user notice, skipping"))).isFalse();
    }

    private static ByteBuf notice(String code, String message) {
        String body = "SNOTICE\0VNOTICE\0C" + code + "\0M" + message + "\0\0";
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return Unpooled.buffer().writeByte('N').writeInt(4 + b.length).writeBytes(b);
    }

    private static ByteBuf error(String code, String message) {
        String body = "SERROR\0VERROR\0C" + code + "\0M" + message + "\0Wcontext\0\0";
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return Unpooled.buffer().writeByte('E').writeInt(4 + b.length).writeBytes(b);
    }
}
