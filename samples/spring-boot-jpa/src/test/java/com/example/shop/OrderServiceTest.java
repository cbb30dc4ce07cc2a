package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dsqllocal.testcontainers.ConflictCode;
import dev.dsqllocal.testcontainers.DsqlContainer;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.jdbc.core.JdbcTemplate;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

@SpringBootTest
@Testcontainers
class OrderServiceTest {
    @Container
    @ServiceConnection
    static DsqlContainer dsql = new DsqlContainer();

    @Autowired
    OrderService service;

    @Autowired
    PurchaseOrderRepository orders;

    @Autowired
    JdbcTemplate jdbc;

    @AfterEach
    void clearFaults() {
        dsql.faults().clear();
    }

    @Test
    void liquibaseCreatedTheSchemaThatHibernateValidated() {
        assertThat(jdbc.queryForList("SELECT id FROM databasechangelog ORDER BY orderexecuted", String.class))
                .containsExactly("1", "2");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM pg_indexes WHERE indexname = 'purchase_order_item'", Integer.class))
                .isEqualTo(1);
    }

    @Test
    void placesAnOrderWithAUuidKey() {
        UUID id = service.place("tea", 2);

        assertThat(orders.findById(id)).hasValueSatisfying(o -> assertThat(o.getItem()).isEqualTo("tea"));
    }

    @Test
    void retriesACommitThatDsqlAbortsWithOc000() {
        dsql.faults().failNextCommits(2, ConflictCode.OC000, "purchase_order");

        UUID id = service.place("coffee", 1);

        assertThat(orders.findByItem("coffee")).extracting(PurchaseOrder::getId).containsExactly(id);
        // Both injected conflicts were used up: two attempts failed at COMMIT and rolled back, the third committed.
        assertThat(dsql.faults().list()).doesNotContain("commit-conflict");
    }

    @Test
    void retriesAReadModifyWriteThatDsqlAbortsWithOc001() {
        UUID id = service.place("milk", 1);
        dsql.faults().failNextCommits(1, ConflictCode.OC001, "purchase_order");

        assertThat(service.addQuantity(id, 3)).isEqualTo(4);

        assertThat(orders.findById(id)).hasValueSatisfying(o -> assertThat(o.getQuantity()).isEqualTo(4));
        assertThat(dsql.faults().list()).doesNotContain("commit-conflict");
    }

    @Test
    void givesUpAfterFiveAttemptsWithDsqlsError() {
        dsql.faults().failNextCommits(5, ConflictCode.OC000, "purchase_order");

        assertThatThrownBy(() -> service.place("juice", 1))
                .satisfies(e -> assertThat(OccRetry.isSerializationFailure(e)).isTrue())
                .rootCause()
                .hasMessageContaining("(OC000)");
        assertThat(orders.findByItem("juice")).isEmpty();
    }
}
