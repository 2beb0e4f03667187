package dev.handoff.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerTest {

    @TempDir
    Path dir;

    @Test
    void committedDataSurvivesSigkillAndRestart() throws Exception {
        try (PostgresServer pg = PostgresServer.start(dir.resolve("pg"), 0)) {
            pg.createDatabase("handoff_test");
            pg.createDatabase("handoff_test"); // idempotent
            assertThat(pg.jdbcUrl("handoff_test")).isEqualTo("jdbc:postgresql://127.0.0.1:" + pg.port() + "/handoff_test");
            assertThat(pg.reactiveUrl("handoff_test")).isEqualTo("postgresql://127.0.0.1:" + pg.port() + "/handoff_test");

            try (Connection c = pg.connect("handoff_test"); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE task (id int PRIMARY KEY, title text)");
                s.execute("INSERT INTO task VALUES (1, 'survive the kill')");
            }

            long pid = pg.pid();
            assertThat(ProcessHandle.of(pid).flatMap(h -> h.info().command()).orElse("")).endsWith("/postgres");
            pg.kill();
            assertThat(pg.isAlive()).isFalse();
            assertThat(ManagedProcess.isRunning(pid)).isFalse();

            pg.restart();
            assertThat(pg.pid()).isNotEqualTo(pid);
            assertThat(queryTitle(pg)).isEqualTo("survive the kill");

            pg.stop();
            assertThat(pg.isAlive()).isFalse();
            pg.restart();
            assertThat(queryTitle(pg)).isEqualTo("survive the kill");
        }
    }

    @Test
    void bundledZonkyBinariesWorkToo() throws Exception {
        Path bin = PostgresServer.zonkyBinaries();
        try (PostgresServer pg = PostgresServer.builder(dir.resolve("zonky")).binDir(bin).start();
             Connection c = pg.connect("postgres");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            assertThat(rs.getString(1)).startsWith("18.");
        }
    }

    private static String queryTitle(PostgresServer pg) throws Exception {
        try (Connection c = pg.connect("handoff_test");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT title FROM task WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
