package dev.vigil.cli;

import dev.vigil.aws.AccountRoutingExecutor;
import dev.vigil.aws.AwsClients;
import dev.vigil.aws.dynamo.DynamoStoreException;
import dev.vigil.aws.dynamo.RecordedActions;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.response.ActionLedger.Claim;
import dev.vigil.core.response.Executor;
import dev.vigil.store.ActionRecord;
import dev.vigil.store.SqliteStore;
import dev.vigil.store.StoreException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.regions.Region;

@Command(name = "undo", mixinStandardHelpOptions = true,
        description = "Reverse a recorded action (restore an instance's groups, a subnet's ACL association, re-authorize a revoked rule)"
                + " and record the undo: in the daemon's store (--store) or the Lambda deployment's table (--table, --stack).",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:undone (or would be, with --dry-run)", "1:the undo failed",
                "2:no such action, nothing to undo, or bad usage"})
final class UndoCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Mixin
    AwsOptions aws;

    @Parameters(paramLabel = "ACTION_ID", description = "The action's id, as 'vigil actions' lists it.")
    String id;

    @Option(names = "--dry-run", description = "Check the undo with EC2's DryRun and change nothing.")
    boolean dryRun;

    @Option(names = "--role-arn", paramLabel = "ARN", description = "Role to assume in the action's account (when it is not this one's).")
    String roleArn;

    @Override
    public Integer call() {
        String missing = store.missing();
        if (missing != null) {
            System.err.println("vigil: " + missing);
            return 2;
        }
        return store.deployment() ? onTable() : onSqlite();
    }

    private int onSqlite() {
        long n;
        try {
            n = Long.parseLong(id);
        } catch (NumberFormatException e) {
            System.err.println("vigil: no action " + id + " in " + store.store + " (its actions have numeric ids)");
            return 2;
        }
        try (SqliteStore s = SqliteStore.open(store.store, Clock.systemUTC())) {
            ActionRecord a = s.action(n).orElse(null);
            if (a == null) {
                System.err.println("vigil: no action " + id + " in " + store.store);
                return 2;
            }
            ActionRow row = ActionRow.of(a);
            String why = row.notUndoable();
            if (why != null) {
                System.err.println("vigil: " + why);
                return 2;
            }
            ActionResult r = reverse(row, a.idempotencyKey());
            if (!dryRun) s.recordUndo(a, r);
            return report(row, r);
        } catch (StoreException e) {
            System.err.println("vigil: " + e.getMessage());
            return 2;
        }
    }

    private int onTable() {
        try (DeploymentTable t = DeploymentTable.open(store, aws)) {
            RecordedActions.Action a = t.actions.find(id).orElse(null);
            if (a == null) {
                System.err.println("vigil: no action " + id + " in table " + t.actions.table());
                return 2;
            }
            ActionRow row = ActionRow.of(a);
            String why = row.notUndoable();
            if (why != null) {
                System.err.println("vigil: " + why);
                return 2;
            }
            if (dryRun) return report(row, reverse(row, a.result().idempotencyKey()));
            // claimed in the table's ledger before EC2 is called: two operators undoing at once reverse it once
            Optional<Claim> other = t.actions.claimUndo(a, Clock.systemUTC().instant());
            if (other.isPresent()) {
                Claim c = other.get();
                System.err.println("vigil: action " + id + (c.status().equals("in-progress") ? " is being undone (since " + c.at() + ")"
                        : " was already undone (" + c.status() + ")"));
                return 2;
            }
            ActionResult r;
            try {
                r = reverse(row, a.result().idempotencyKey());
            } catch (RuntimeException e) {
                t.actions.undone(a, new ActionResult("undo", row.target(), ActionStatus.FAILED, String.valueOf(e.getMessage()), Map.of()));
                throw e;
            }
            t.actions.undone(a, r);
            return report(row, r);
        } catch (DynamoStoreException | IllegalArgumentException e) {
            System.err.println("vigil: " + e.getMessage());
            return 2;
        }
    }

    /** The undo in the account and region the action was taken in (its region, else --region). */
    private ActionResult reverse(ActionRow a, String idempotencyKey) {
        Region region = Region.of(a.region() != null ? a.region() : aws.region);
        Map<String, String> roles = new java.util.HashMap<>();
        if (roleArn != null && a.account() != null) roles.put(a.account(), roleArn);
        try (AwsClients clients = AwsClients.create(new AwsClients.Config(region, aws.endpoint, roles, "vigil", null), aws.profile)) {
            ActionResult recorded = new ActionResult(a.type(), a.target(), ActionStatus.APPLIED, a.detail(), a.params(), idempotencyKey, a.undo());
            // the account the action was taken in: its role when given, else this runtime's own credentials
            return new AccountRoutingExecutor(Executor.planning(), clients, roleArn == null ? a.account() : null, region.id())
                    .undo(recorded, a.account(), region.id(), dryRun);
        }
    }

    private static int report(ActionRow a, ActionResult r) {
        System.out.println("action " + a.id() + " (" + a.type() + " " + a.target() + "): " + r.status().label() + ": " + r.detail());
        return r.status() == ActionStatus.FAILED ? 1 : 0;
    }
}
