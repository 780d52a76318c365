package dev.vigil.live;

import dev.vigil.core.finding.Finding;
import dev.vigil.store.SqliteStore;
import dev.vigil.testing.LocalSqs;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** The fault table ({@link FaultTable}) with the daemon on its embedded SQLite store. */
class FaultTableTest {
    static LocalSqs sqs;
    static FaultTable table;

    @TempDir
    Path dir;

    /** A file per row; read back read-only, as {@code vigil findings} reads it. */
    static final FaultTable.Store SQLITE = new FaultTable.Store() {
        @Override
        public String label() {
            return "sqlite";
        }

        @Override
        public String create(Path rowDir, String row) {
            return rowDir.resolve("vigil.db").toString();
        }

        @Override
        public Map<String, String> env() {
            return Map.of();
        }

        @Override
        public long[] counts(String location) {
            try (SqliteStore s = SqliteStore.openReadOnly(Path.of(location), Clock.systemUTC())) {
                return new long[] {s.processedCount(), s.findingCount()};
            } catch (RuntimeException e) { // not created yet (a fault before the store's first write)
                return new long[] {0, 0};
            }
        }

        @Override
        public List<Finding> findings(String location) {
            try (SqliteStore s = SqliteStore.openReadOnly(Path.of(location), Clock.systemUTC())) {
                return s.recent(100);
            }
        }
    };

    @BeforeAll
    static void start() {
        sqs = new LocalSqs();
        table = new FaultTable(SQLITE, sqs);
    }

    @AfterAll
    static void stop() {
        if (sqs != null) sqs.close();
        if (table != null) System.out.println(table.table());
    }

    @TestFactory
    Stream<DynamicTest> aFaultAtEveryStepThenARestartActsOnceAndLosesNothing() throws Exception {
        return table.tests(dir);
    }
}
