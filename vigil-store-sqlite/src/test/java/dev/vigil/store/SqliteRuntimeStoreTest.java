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

    /** The attempt kept with a claim is what the start-up pass checks: a crash leaves it readable, with its plan and finding. */
    @org.junit.jupiter.api.Test
    void aClaimACrashCutShortKeepsItsAttemptForTheStartUpCheck() {
        var plan = new dev.vigil.core.finding.ActionPlan("revoke-world-open", "sg-1", java.util.Map.of("Action", "RevokeSecurityGroupIngress",
                "GroupId", "sg-1", "SecurityGroupRuleId", "sgr-1"), "revoke sg-1", "revoke:sg-1", true, java.util.Map.of("Action", "AuthorizeSecurityGroupIngress"));
        var bare = finding("sg-1", T0, ACCOUNT_A, java.util.List.of());
        var who = new dev.vigil.core.event.Principal("AssumedRole", "arn:aws:sts::111122223333:assumed-role/ops/alice", "111122223333", null,
                "arn:aws:iam::111122223333:role/ops", null);
        org.assertj.core.api.Assertions.assertThat(store.claim("revoke:sg-1", "p", "r", T0, plan.undo(),
                new dev.vigil.core.response.ActionLedger.Attempt("revoke:sg-1", plan, bare, who))).isEmpty();
        store.claim("revoke:sg-2", "p", "r", T0, java.util.Map.of()); // no attempt kept (a claim made before V4)
        store.claim("revoke:sg-3", "p", "r", T0, plan.undo(), new dev.vigil.core.response.ActionLedger.Attempt("revoke:sg-3", plan, bare));
        store.complete("revoke:sg-3", "applied");
        store = afterCrash();
        var attempts = store.interruptedAttempts();
        org.assertj.core.api.Assertions.assertThat(attempts).hasSize(1);
        var a = attempts.get(0);
        org.assertj.core.api.Assertions.assertThat(a.key()).isEqualTo("revoke:sg-1");
        org.assertj.core.api.Assertions.assertThat(a.plan().params()).containsEntry("SecurityGroupRuleId", "sgr-1");
        org.assertj.core.api.Assertions.assertThat(a.plan().disruptive()).isTrue();
        org.assertj.core.api.Assertions.assertThat(a.trigger()).as("the triggering principal, for the self check of the start-up pass").isEqualTo(who);
        org.assertj.core.api.Assertions.assertThat(a.finding().id()).isEqualTo(bare.id());
        org.assertj.core.api.Assertions.assertThat(a.finding().account()).isEqualTo(ACCOUNT_A);
        try (SqliteStore beside = SqliteStore.openBeside(file(), clock)) {
            org.assertj.core.api.Assertions.assertThat(beside.interruptedAttempts()).as("a reading command sees them and changes nothing").hasSize(1);
        }
    }
}
