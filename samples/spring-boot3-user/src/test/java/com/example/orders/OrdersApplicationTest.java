package com.example.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dsqllocal.testcontainers.DsqlContainer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.jdbc.core.JdbcTemplate;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

@SpringBootTest
@Testcontainers
class OrdersApplicationTest {
    @Container
    @ServiceConnection
    static DsqlContainer dsql = new DsqlContainer();

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theDataSourceTalksToDsqlThroughServiceConnection() {
        assertThat(jdbc.queryForObject("SELECT current_user", String.class)).isEqualTo("admin");
        jdbc.execute("CREATE TABLE orders (id int PRIMARY KEY, item text)");
        jdbc.update("INSERT INTO orders VALUES (1, 'tea')");
        assertThat(jdbc.queryForObject("SELECT item FROM orders WHERE id = 1", String.class)).isEqualTo("tea");
    }

    @Test
    void theClasspathHasOneTestcontainersLine() {
        // Boot 3.5 alone would put Testcontainers 1.21.x core beside the 2.x modules DsqlContainer needs.
        assertThat(DockerClientFactory.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .contains("/testcontainers-2.");
    }
}
