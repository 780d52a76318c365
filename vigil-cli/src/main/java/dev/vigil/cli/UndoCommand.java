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

    @Mixin
    TerminalOptions terminalOptions;

    private Terminal terminal = new Terminal(false, 0);

    @Parameters(paramLabel = "ACTION_ID", description = "The action's id, as 'vigil actions' lists it.")
    String id;

    @Option(names = "--dry-run", description = "Check the undo with EC2's DryRun and change nothing.")
    boolean dryRun;

    @Option(names = "--role-arn", paramLabel = "ARN", description = "Role to assume in the action's account (when it is not this one's).")
    String roleArn;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "The daemon's policy: its securityhub targets get the action's finding again, archived and resolved, with a note.")
    java.nio.file.Path policy;

    /**
     * The finding re-imported into each securityhub target of the policy, archived and resolved. The undo is done
     * whatever Security Hub answers: a failure here is a warning on stderr, not a failed undo.
     */
    private void securityHub(java.util.function.Supplier<Optional<dev.vigil.core.finding.Finding>> found, ActionRow a) {
        dev.vigil.core.policy.PolicySet set;
        try {
            set = dev.vigil.policy.Policies.load(policy);
        } catch (dev.vigil.core.policy.PolicyException e) {
            System.err.println("vigil: warning: Security Hub not updated: " + e.getMessage());
            return;
        }
        var targets = set.targets().values().stream().filter(t -> t.type().equals("securityhub")).toList();
        if (targets.isEmpty()) return;
        var finding = found.get().orElse(null);
        if (finding == null) {
            System.err.println("vigil: warning: Security Hub not updated: finding " + a.findingId() + " is not in the store");
            return;
        }
        var credentials = aws.profile == null ? software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider.builder().build()
                : software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider.builder().profileName(aws.profile).build();
        try (var hub = new dev.vigil.notify.SecurityHubNotifier(new dev.vigil.notify.SecurityHubImporter(aws.endpoint, credentials,
                dev.vigil.aws.RetryBudget.DEFAULT), Clock.systemUTC())) {
            for (var t : targets) {
                var d = hub.undone(t, finding, a.type() + " " + a.target() + " (action " + a.id() + ")");
                if (d.ok()) terminal.line(System.out, "securityhub " + t.name() + ": finding archived and resolved (" + d.detail() + ")", 4);
                else System.err.println("vigil: warning: securityhub " + t.name() + ": " + d.detail());
            }
        }
    }

    @Override
    public Integer call() {
        terminal = terminalOptions.terminal();
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
        try (SqliteStore s = SqliteStore.openBeside(store.store, Clock.systemUTC())) {
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
            int exit = report(row, r);
            if (!dryRun && r.status() != ActionStatus.FAILED && policy != null) securityHub(() -> s.find(a.findingId()), row);
            return exit;
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
            int exit = report(row, r);
            if (r.status() != ActionStatus.FAILED && policy != null) securityHub(() -> Optional.of(a.finding()), row);
            return exit;
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

    private int report(ActionRow a, ActionResult r) {
        String head = "action " + a.id() + " (" + a.type() + " " + a.target() + "): ";
        String status = r.status().label();
        terminal.line(System.out, Terminal.clean(head) + terminal.paint(ActionsCommand.statusColour(status), status) + ": ",
                head.length() + status.length() + 2, r.detail(), 4);
        return r.status() == ActionStatus.FAILED ? 1 : 0;
    }
}
