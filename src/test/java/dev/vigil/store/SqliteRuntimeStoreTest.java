package dev.vigil.store;

import dev.vigil.core.store.RuntimeStore;
import dev.vigil.core.store.RuntimeStoreContract;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store held to the {@link RuntimeStore} contract: one file, one process, claims interrupted at reopen. */
class SqliteRuntimeStoreTest extends RuntimeStoreContract {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("vigil.db");
    }

    @Override
    protected RuntimeStore openFresh() {
        return SqliteStore.open(file(), clock);
    }

    @Override
    protected RuntimeStore otherHandle() {
        return store; // one process per file
    }

    @Override
    protected RuntimeStore afterCrash() {
        ((SqliteStore) store).close();
        return SqliteStore.open(file(), clock);
    }

    @Override
    protected boolean crashedClaimsAreTakenOver() {
        return false;
    }

    @Override
    protected Optional<Rejected> rejected(String messageId) {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file().toAbsolutePath());
             var ps = c.prepareStatement("SELECT source, body, error FROM rejected_messages WHERE message_id = ?")) {
            ps.setString(1, messageId);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Rejected(rs.getString(1), rs.getString(2), rs.getString(3))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
