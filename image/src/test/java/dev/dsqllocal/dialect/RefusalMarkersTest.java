package dev.dsqllocal.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dsqllocal.sql.StatementClassifier;
import dev.dsqllocal.sql.StatementInfo;
import dev.dsqllocal.sql.StatementKind;
import org.junit.jupiter.api.Test;

class RefusalMarkersTest {

    @Test
    void aMarkerStatementMapsBackToItsDsqlError() {
        RefusalMarkers markers = new RefusalMarkers();
        DsqlError truncate = DsqlError.error("0A000", "unsupported statement: Truncate");
        String sql = markers.sqlFor(truncate);
        // the marker is one quoted identifier: PostgreSQL reports it verbatim in its 42703 message
        StatementInfo info = StatementClassifier.classifySingle(sql);
        assertThat(info.kind()).isEqualTo(StatementKind.QUERY);
        String identifier = info.statement().tokens().get(1).value();
        String postgresMessage = "column \"" + identifier + "\" does not exist";
        assertThat(markers.take(postgresMessage)).contains(truncate);
        assertThat(markers.take(postgresMessage)).as("taken once").isEmpty();
    }

    @Test
    void otherErrorsAndOtherSessionsMarkersAreNotMistakenForRefusals() {
        RefusalMarkers mine = new RefusalMarkers();
        RefusalMarkers theirs = new RefusalMarkers();
        String sql = theirs.sqlFor(DsqlError.error("0A000", "x"));
        String identifier = StatementClassifier.classifySingle(sql)
                .statement()
                .tokens()
                .get(1)
                .value();
        assertThat(mine.take("column \"" + identifier + "\" does not exist")).isEmpty();
        assertThat(mine.take("column \"dsql-local refusal 00 1\" does not exist"))
                .isEmpty();
        assertThat(mine.take("division by zero")).isEmpty();
        assertThat(mine.take(null)).isEmpty();
    }
}
