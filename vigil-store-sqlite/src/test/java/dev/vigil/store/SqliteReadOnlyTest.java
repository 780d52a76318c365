package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** findings and actions read the store without migrating it or writing to it: beside a running daemon, and fast. */
class SqliteReadOnlyTest {
    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void readingChangesNothingAndWritingIsRefused() throws Exception {
        Path f = dir.resolve("v.db");
        try (SqliteStore s = SqliteStore.open(f, CLOCK)) {
            assertThat(s.claim("k1", "p", "r", T0)).isEmpty(); // a claim in progress, as a daemon holds it
            s.commit();
            try (SqliteStore ro = SqliteStore.openReadOnly(f, CLOCK)) {
                // a read-write open would mark the daemon's claim interrupted; reading leaves it as it is
                assertThat(ro.interruptedAtOpen()).isZero();
                assertThat(ro.claimOf("k1").orElseThrow().status()).isEqualTo("in-progress");
                assertThat(ro.recent(10)).isEmpty();
                assertThatThrownBy(() -> {
                    ro.markFirst("e1", T0);
                    ro.commit();
                }).isInstanceOf(StoreException.class).hasMessageContaining("readonly");
            }
            assertThat(s.claimOf("k1").orElseThrow().status()).isEqualTo("in-progress");
        }
    }

    @Test
    void theSchemaVersionIsTheNewestMigration() throws Exception {
        try (var files = Files.list(Path.of("vigil-store-sqlite/src/main/resources/db/migration/sqlite"))) {
            int newest = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
            assertThat(SqliteStore.SCHEMA_VERSION).isEqualTo(newest);
        }
    }

    @Test
    void aMissingStoreIsNotCreated() {
        Path f = dir.resolve("none/v.db");
        assertThatThrownBy(() -> SqliteStore.openReadOnly(f, CLOCK)).isInstanceOf(StoreException.class).hasMessage("no store at " + f);
        assertThat(Files.exists(f.getParent())).isFalse();
    }
}
