package dev.vigil.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.Region;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.policy.TargetDef;
import dev.vigil.output.AsffFinding;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Security Hub target: imports each finding notified as an ASFF document ({@link AsffFinding}) into the custom
 * integration of the target's {@code account} in its {@code region}; {@link #sendAll} imports many in batches, and
 * {@link #undone} re-imports a finding archived and resolved when its response was undone. The notify executor does
 * not group findings for this target type ({@link NotifyExecutor#UNGROUPED}): each finding is its own Security Hub
 * finding.
 */
public final class SecurityHubNotifier implements Notifier, AutoCloseable {
    private final SecurityHubImporter importer;
    private final Clock clock;

    public SecurityHubNotifier(SecurityHubImporter importer, Clock clock) {
        this.importer = importer;
        this.clock = clock;
    }

    static AsffFinding.Context context(TargetDef t, Clock clock) {
        AccountId account = AccountId.orNull(t.settings().get("account"));
        Region region = Region.orNull(t.settings().get("region"));
        if (account == null || region == null) return null;
        return new AsffFinding.Context(account, region, clock.instant());
    }

    @Override
    public Delivery send(TargetDef target, Notice notice) {
        return sendAll(target, List.of(notice.finding()));
    }

    /** Imports the findings in as few calls as the API's limits allow. */
    public Delivery sendAll(TargetDef target, List<Finding> findings) {
        AsffFinding.Context c = context(target, clock);
        if (c == null) return Delivery.failed("securityhub: account and region settings are needed", 0);
        List<ObjectNode> docs = new ArrayList<>();
        for (Finding f : findings) docs.add(AsffFinding.of(f, c));
        return delivery(importer.importAll(c.region().toString(), docs));
    }

    /** Re-imports the finding archived and resolved, noting {@code what} was undone. */
    public Delivery undone(TargetDef target, Finding finding, String what) {
        AsffFinding.Context c = context(target, clock);
        if (c == null) return Delivery.failed("securityhub: account and region settings are needed", 0);
        ObjectNode doc = AsffFinding.undone(AsffFinding.of(finding, c), what, clock.instant());
        return delivery(importer.importAll(c.region().toString(), List.of(doc)));
    }

    private static Delivery delivery(SecurityHubImporter.Result r) {
        if (r.ok()) return Delivery.sent("securityhub: imported " + r.imported() + " in " + r.calls() + " call(s)", r.calls());
        return Delivery.failed("securityhub: " + r.failures().size() + " not imported: " + String.join("; ", r.failures().subList(0, Math.min(3, r.failures().size()))), r.calls());
    }

    @Override
    public void close() {
        importer.close();
    }
}
