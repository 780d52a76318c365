package dev.vigil.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** EventBridge CloudTrail events of AuthorizeSecurityGroupIngress, each on its own group, built from the sg-guard example. */
public final class CrashEvents {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ObjectNode template;

    private CrashEvents() {}

    /** A call opening group number {@code i} to the world on port 22: sg-open-to-world. */
    public static String worldOpen(int i) {
        return event(i, true);
    }

    /** @param world true: 0.0.0.0/0 on port 22; false: 10.1.0.0/16 on 5432 (no finding) */
    public static synchronized String event(int i, boolean world) {
        if (template == null) {
            try {
                template = (ObjectNode) JSON.readTree(Files.readString(Path.of("examples/sg-guard/eventbridge-sg-calls.json"))).get(0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        ObjectNode e = template.deepCopy();
        String group = String.format("sg-%017x", 0x100000L + i);
        String id = String.format("00000000-0000-4000-8000-%012d", i);
        e.put("id", "eb-" + id);
        ObjectNode d = (ObjectNode) e.get("detail");
        d.put("eventID", id);
        ObjectNode rp = (ObjectNode) d.get("requestParameters");
        rp.put("groupId", group);
        ObjectNode perm = (ObjectNode) rp.get("ipPermissions").get("items").get(0);
        perm.put("fromPort", world ? 22 : 5432).put("toPort", world ? 22 : 5432);
        ((ObjectNode) perm.get("ipRanges").get("items").get(0)).put("cidrIp", world ? "0.0.0.0/0" : "10.1.0.0/16");
        ObjectNode rule = (ObjectNode) d.get("responseElements").get("securityGroupRuleSet").get("items").get(0);
        rule.put("groupId", group).put("securityGroupRuleId", String.format("sgr-%017x", i)).put("cidrIpv4", world ? "0.0.0.0/0" : "10.1.0.0/16")
                .put("fromPort", world ? 22 : 5432).put("toPort", world ? 22 : 5432);
        return e.toString();
    }
}
