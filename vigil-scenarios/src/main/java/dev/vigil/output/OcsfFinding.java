package dev.vigil.output;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import java.util.Map;

/**
 * A finding as an OCSF 1.3.0 Detection Finding (class 2004, category 2 Findings, activity 1 Create), with the cloud
 * profile. OCSF has no attribute for a response taken, so the actions are summed up in {@code remediation.desc} and
 * kept exactly, as in the JSON output, in {@code unmapped.actions}; the triggering event ids are
 * {@code finding_info.related_events}.
 */
public final class OcsfFinding {
    public static final String VERSION = "1.3.0";
    static final int CLASS_UID = 2004;
    static final int CATEGORY_UID = 2;
    static final int ACTIVITY_CREATE = 1;

    private OcsfFinding() {}

    public static ObjectNode of(Finding f) {
        ObjectNode o = FindingJson.JSON.createObjectNode();
        o.put("activity_id", ACTIVITY_CREATE);
        o.put("activity_name", "Create");
        o.put("category_uid", CATEGORY_UID);
        o.put("category_name", "Findings");
        o.put("class_uid", CLASS_UID);
        o.put("class_name", "Detection Finding");
        o.put("type_uid", CLASS_UID * 100 + ACTIVITY_CREATE);
        o.put("type_name", "Detection Finding: Create");
        o.put("time", f.time().toEpochMilli());
        o.put("severity_id", severityId(f));
        o.put("severity", severityName(f));
        o.put("status_id", 1);
        o.put("status", "New");
        o.put("message", f.summary());
        o.put("is_alert", true);

        ObjectNode meta = o.putObject("metadata");
        meta.put("version", VERSION);
        meta.putArray("profiles").add("cloud");
        ObjectNode product = meta.putObject("product");
        product.put("name", "vigil");
        product.put("vendor_name", "vigil");
        String v = OcsfFinding.class.getPackage().getImplementationVersion();
        product.put("version", v == null ? "dev" : v);
        meta.put("uid", f.id());

        ObjectNode info = o.putObject("finding_info");
        info.put("uid", f.id());
        info.put("title", f.rule());
        info.put("desc", f.summary());
        info.putArray("types").add(f.policy() + "/" + f.rule());
        info.put("created_time", f.time().toEpochMilli());
        info.put("first_seen_time", f.time().toEpochMilli());
        info.put("last_seen_time", f.time().toEpochMilli());
        ObjectNode analytic = info.putObject("analytic");
        analytic.put("uid", f.policy() + "/" + f.rule());
        analytic.put("name", f.rule());
        analytic.put("category", f.policy());
        analytic.put("type_id", 1);
        analytic.put("type", "Rule");
        ArrayNode related = info.putArray("related_events");
        for (String id : f.eventIds()) related.addObject().put("uid", id);

        ObjectNode cloud = o.putObject("cloud");
        cloud.put("provider", "AWS");
        if (f.region() != null) cloud.put("region", f.region().toString());
        if (f.account() != null) cloud.putObject("account").put("uid", f.account().toString()).put("type_id", 10).put("type", "AWS Account");

        ResourceRef ref = ResourceRef.of(f.resource(), f.account(), f.region());
        ArrayNode resources = o.putArray("resources");
        ObjectNode r = resources.addObject();
        r.put("uid", ref.uid());
        r.put("name", ref.name());
        r.put("type", ref.type());
        r.put("cloud_partition", ref.partition());
        if (f.region() != null) r.put("region", f.region().toString());

        if (f.source() != null) {
            ObjectNode obs = o.putArray("observables").addObject();
            obs.put("name", "source");
            obs.put("type_id", isIp(f.source()) ? 2 : 99);
            obs.put("type", isIp(f.source()) ? "IP Address" : "Other");
            obs.put("value", f.source());
        }

        ObjectNode rem = o.putObject("remediation");
        rem.put("desc", remediation(f));

        ObjectNode unmapped = o.putObject("unmapped");
        unmapped.put("policy", f.policy());
        unmapped.put("rule", f.rule());
        unmapped.set("actions", FindingJson.of(f).get("actions"));
        if (!f.facts().isEmpty()) {
            ObjectNode facts = unmapped.putObject("facts");
            f.facts().forEach(facts::put);
        }
        return o;
    }

    /** One line per action: what was planned or done, to what, and its outcome. */
    static String remediation(Finding f) {
        if (f.actions().isEmpty()) return "No response configured: review the finding.";
        StringBuilder b = new StringBuilder();
        for (ActionResult a : f.actions()) {
            if (!b.isEmpty()) b.append('\n');
            b.append(a.type()).append(' ').append(a.target()).append(": ").append(a.status().label());
            if (a.status() != ActionStatus.PLANNED || !a.detail().equals("notify " + a.target())) b.append(" - ").append(a.detail());
        }
        return b.toString();
    }

    private static final Map<String, Integer> SEVERITY_IDS = Map.of("info", 1, "low", 2, "medium", 3, "high", 4, "critical", 5);

    static int severityId(Finding f) {
        return SEVERITY_IDS.get(f.severity().label());
    }

    static String severityName(Finding f) {
        return switch (f.severity()) {
            case INFO -> "Informational";
            case LOW -> "Low";
            case MEDIUM -> "Medium";
            case HIGH -> "High";
            case CRITICAL -> "Critical";
        };
    }

    static boolean isIp(String s) {
        return s.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || (s.contains(":") && s.matches("[0-9a-fA-F:.]+"));
    }
}
