package dev.vigil.cli;

import dev.vigil.aws.AccountRoutingExecutor;
import dev.vigil.aws.AwsClients;
import dev.vigil.core.response.Executor;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.store.ActionRecord;
import dev.vigil.store.SqliteStore;
import dev.vigil.store.StoreException;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.regions.Region;

@Command(name = "undo", mixinStandardHelpOptions = true,
        description = "Reverse a recorded action (restore an instance's groups, a subnet's ACL association, re-authorize a revoked rule)"
                + " and record the undo.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:undone (or would be, with --dry-run)", "1:the undo failed",
                "2:no such action, nothing to undo, or bad usage"})
final class UndoCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Parameters(paramLabel = "ACTION_ID", description = "The action's id, as 'vigil actions' lists it.")
    long id;

    @Option(names = "--dry-run", description = "Check the undo with EC2's DryRun and change nothing.")
    boolean dryRun;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "An AWS-compatible endpoint.")
    URI endpoint;

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS profile (default: the standard provider chain).")
    String profile;

    @Option(names = "--region", paramLabel = "REGION", defaultValue = "${env:AWS_REGION:-us-east-1}",
            description = "Region of an action that recorded none (one from an sshd log: the daemon's home region; default: $AWS_REGION, else us-east-1).")
    String region;

    @Option(names = "--role-arn", paramLabel = "ARN", description = "Role to assume in the action's account (when it is not this one's).")
    String roleArn;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "The daemon's policy: its securityhub targets get the action's finding again, archived and resolved, with a note.")
    java.nio.file.Path policy;

    /**
     * The finding re-imported into each securityhub target of the policy, archived and resolved. The undo is done
     * whatever Security Hub answers: a failure here is a warning on stderr, not a failed undo.
     */
    private void securityHub(SqliteStore s, ActionRecord a) {
        dev.vigil.core.policy.PolicySet set;
        try {
            set = dev.vigil.policy.Policies.load(policy);
        } catch (dev.vigil.core.policy.PolicyException e) {
            System.err.println("vigil: warning: Security Hub not updated: " + e.getMessage());
            return;
        }
        var targets = set.targets().values().stream().filter(t -> t.type().equals("securityhub")).toList();
        if (targets.isEmpty()) return;
        var finding = s.find(a.findingId()).orElse(null);
        if (finding == null) {
            System.err.println("vigil: warning: Security Hub not updated: finding " + a.findingId() + " is not in the store");
            return;
        }
        var credentials = profile == null ? software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider.builder().build()
                : software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider.builder().profileName(profile).build();
        try (var hub = new dev.vigil.notify.SecurityHubNotifier(new dev.vigil.notify.SecurityHubImporter(endpoint, credentials,
                dev.vigil.aws.RetryBudget.DEFAULT), Clock.systemUTC())) {
            for (var t : targets) {
                var d = hub.undone(t, finding, a.type() + " " + a.target() + " (action " + a.id() + ")");
                if (d.ok()) System.out.println("securityhub " + t.name() + ": finding archived and resolved (" + d.detail() + ")");
                else System.err.println("vigil: warning: securityhub " + t.name() + ": " + d.detail());
            }
        }
    }

    /** Null when the action can be undone; otherwise why not. */
    static String undoable(ActionRecord a) {
        if (a.undoneBy() != null) return "action " + a.id() + " was already undone by action " + a.undoneBy();
        if (a.undoes() != null) return "action " + a.id() + " is itself an undo (of action " + a.undoes() + ")";
        if (!a.status().equals("applied")) return "action " + a.id() + " was " + a.status() + ", not applied: nothing to undo";
        if (a.undo().isEmpty()) return "action " + a.id() + " (" + a.type() + ") recorded no way to undo it";
        return null;
    }

    @Override
    public Integer call() {
        String missing = store.missing();
        if (missing != null) {
            System.err.println("vigil: " + missing);
            return 2;
        }
        try (SqliteStore s = SqliteStore.open(store.store, Clock.systemUTC())) {
            ActionRecord a = s.action(id).orElse(null);
            if (a == null) {
                System.err.println("vigil: no action " + id + " in " + store.store);
                return 2;
            }
            String why = undoable(a);
            if (why != null) {
                System.err.println("vigil: " + why);
                return 2;
            }
            Region region = Region.of(a.region() != null ? a.region() : this.region);
            Map<String, String> roles = new java.util.HashMap<>();
            if (roleArn != null && a.account() != null) roles.put(a.account(), roleArn);
            ActionResult r;
            try (AwsClients aws = AwsClients.create(new AwsClients.Config(region, endpoint, roles, "vigil", null), profile)) {
                ActionResult recorded = new ActionResult(a.type(), a.target(), ActionStatus.APPLIED, a.detail(), a.params(), a.idempotencyKey(), a.undo());
                // the account the action was taken in: its role when given, else this runtime's own credentials
                r = new AccountRoutingExecutor(Executor.planning(), aws, roleArn == null ? a.account() : null, region.id())
                        .undo(recorded, a.account(), region.id(), dryRun);
            }
            if (!dryRun) s.recordUndo(a, r);
            System.out.println("action " + a.id() + " (" + a.type() + " " + a.target() + "): " + r.status().label() + ": " + r.detail());
            if (!dryRun && r.status() != ActionStatus.FAILED && policy != null) securityHub(s, a);
            return r.status() == ActionStatus.FAILED ? 1 : 0;
        } catch (StoreException e) {
            System.err.println("vigil: " + e.getMessage());
            return 2;
        }
    }

}
