package dev.vigil.output;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.Region;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.Finding;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A finding in the AWS Security Finding Format (schema 2018-10-08), as {@code --format asff} prints it and the
 * {@code securityhub} target imports it. The product is the account's own custom integration
 * ({@code arn:aws:securityhub:REGION:ACCOUNT:product/ACCOUNT/default}); {@code Id} is stable for a finding
 * ({@code vigil/POLICY/RULE/ID}, {@link Finding#id()}), so importing it again updates it, never duplicates it.
 * Lengths are cut to the API's limits (Title 256, Description 1024, Note 512, ProductFields 50 pairs of 128/2048).
 */
public final class AsffFinding {
    public static final String SCHEMA_VERSION = "2018-10-08";
    static final int MAX_RESOURCES = 32;
    static final int MAX_PRODUCT_FIELDS = 50;

    /**
     * Where the findings go: the integration's account and region (also used for a finding that names none), and the
     * import time ({@code UpdatedAt}; null means the finding's own time, for a replay that prints the same each run).
     */
    public record Context(AccountId account, Region region, Instant updatedAt) {
        public String productArn() {
            return "arn:aws:securityhub:" + region + ":" + account + ":product/" + account + "/default";
        }
    }

    private AsffFinding() {}

    public static String id(Finding f) {
        return "vigil/" + f.policy() + "/" + f.rule() + "/" + f.id();
    }

    public static ObjectNode of(Finding f, Context c) {
        AccountId account = f.account() != null ? f.account() : c.account();
        Region region = f.region() != null ? f.region() : c.region();
        String time = f.time().toString();
        String updated = c.updatedAt() == null ? time : c.updatedAt().toString();
        ObjectNode o = FindingJson.JSON.createObjectNode();
        o.put("SchemaVersion", SCHEMA_VERSION);
        o.put("Id", cut(id(f), 512));
        o.put("ProductArn", c.productArn());
        o.put("ProductName", "vigil");
        o.put("CompanyName", "vigil");
        o.put("GeneratorId", cut("vigil/" + f.policy() + "/" + f.rule(), 512));
        o.put("AwsAccountId", account.toString());
        o.put("Region", region.toString());
        o.putArray("Types").add(namespace(f.rule()) + "/" + f.policy() + "/" + f.rule());
        o.put("FirstObservedAt", time);
        o.put("LastObservedAt", time);
        o.put("CreatedAt", time);
        o.put("UpdatedAt", updated);
        ObjectNode sev = o.putObject("Severity");
        sev.put("Label", f.severity() == dev.vigil.core.finding.Severity.INFO ? "INFORMATIONAL" : f.severity().name());
        sev.put("Original", f.severity().label());
        o.put("Title", cut(f.rule() + (f.resource() == null ? "" : " on " + f.resource()), 256));
        o.put("Description", cut(f.summary(), 1024));
        o.putObject("Remediation").putObject("Recommendation").put("Text", cut(OcsfFinding.remediation(f), 512));

        ObjectNode fields = o.putObject("ProductFields");
        Map<String, String> pf = new LinkedHashMap<>();
        pf.put("vigil/policy", f.policy());
        pf.put("vigil/rule", f.rule());
        pf.put("vigil/finding_id", f.id());
        if (f.source() != null) pf.put("vigil/source", f.source());
        if (!f.eventIds().isEmpty()) pf.put("vigil/event_ids", String.join(",", f.eventIds()));
        for (var e : f.facts().entrySet()) {
            if (pf.size() >= MAX_PRODUCT_FIELDS) break;
            pf.putIfAbsent("vigil/fact/" + e.getKey(), e.getValue());
        }
        pf.forEach((k, v) -> fields.put(cut(k, 128), cut(v, 2048)));

        ArrayNode resources = o.putArray("Resources");
        Set<String> seen = new LinkedHashSet<>();
        addResource(resources, seen, ResourceRef.of(f.resource(), account, region), region);
        for (ActionResult a : f.actions()) {
            if (resources.size() >= MAX_RESOURCES) break;
            ResourceRef r = ResourceRef.of(a.target(), account, region);
            if (!r.type().equals("Other")) addResource(resources, seen, r, region);
        }

        if (f.source() != null && OcsfFinding.isIp(f.source())) {
            o.putObject("Network").put("Direction", "IN").put(f.source().contains(":") ? "SourceIpV6" : "SourceIpV4", f.source());
        }
        ObjectNode note = o.putObject("Note");
        note.put("Text", cut(OcsfFinding.remediation(f), 512));
        note.put("UpdatedBy", "vigil");
        note.put("UpdatedAt", updated);
        o.put("RecordState", "ACTIVE");
        o.putObject("Workflow").put("Status", "NEW");
        return o;
    }

    /**
     * The same document once a response was undone: archived and resolved (vigil no longer holds the resource), with
     * a note saying what was undone; re-importing it under the same Id updates the finding in place.
     */
    public static ObjectNode undone(ObjectNode doc, String what, Instant at) {
        ObjectNode o = doc.deepCopy();
        o.put("UpdatedAt", at.toString());
        o.put("RecordState", "ARCHIVED");
        o.putObject("Workflow").put("Status", "RESOLVED");
        ObjectNode note = o.putObject("Note");
        note.put("Text", cut("undone at " + at + ": " + what, 512));
        note.put("UpdatedBy", "vigil");
        note.put("UpdatedAt", at.toString());
        return o;
    }

    private static void addResource(ArrayNode resources, Set<String> seen, ResourceRef r, Region region) {
        if (!seen.add(r.uid())) return;
        ObjectNode x = resources.addObject();
        x.put("Type", r.type());
        x.put("Id", cut(r.uid(), 512));
        x.put("Partition", r.partition());
        x.put("Region", region.toString());
    }

    /** The ASFF type namespace of a rule's family: attacks for SSH and GuardDuty, configuration checks for the rest. */
    static String namespace(String rule) {
        if (rule.startsWith("ssh-") || rule.startsWith("guardduty-")) return "TTPs";
        return "Software and Configuration Checks";
    }

    static String cut(String s, int max) {
        if (s == null) return "";
        if (s.length() <= max) return s;
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) end--;
        return s.substring(0, end) + "\u2026";
    }
}
