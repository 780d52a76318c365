package dev.vigil.scenario.guardduty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.engine.DetectorContext;
import dev.vigil.core.engine.Timer;
import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.GuardDutyFinding;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.NetworkAclId;
import dev.vigil.core.event.NetworkInterfaceId;
import dev.vigil.core.event.Origin;
import dev.vigil.core.event.Region;
import dev.vigil.core.event.SecurityGroupId;
import dev.vigil.core.event.SubnetId;
import dev.vigil.core.event.VpcId;
import dev.vigil.core.finding.FindingDraft;
import dev.vigil.core.inventory.InstanceInfo;
import dev.vigil.core.inventory.Inventory;
import dev.vigil.core.inventory.NetworkAclInfo;
import dev.vigil.core.inventory.NetworkInterfaceInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builders for GuardDuty findings and inventory in the shapes GuardDuty and DescribeInstances use. */
final class GdFixtures {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T0 = Instant.parse("2024-06-11T08:15:00Z");
    static final String VPC = "vpc-0f1e2d3c4b5a69788";
    static final String SUBNET_A = "subnet-0aa1122334455667a";
    static final String SUBNET_B = "subnet-0bb1122334455667b";
    static final String MINER = "i-0a1b2c3d4e5f60718";
    static final String WEB = "i-0c0c0c0c0c0c0c0c1";
    static final String BITCOIN = "CryptoCurrency:EC2/BitcoinTool.B!DNS";

    private GdFixtures() {}

    /** A finding's JSON as GuardDuty writes it, with one network interface per subnet given. */
    static ObjectNode detail(String findingId, String type, double severity, String instance, long count, String... subnets) {
        ObjectNode d = JSON.createObjectNode();
        d.put("schemaVersion", "2.0").put("accountId", "111122223333").put("region", "us-east-1").put("id", findingId)
                .put("type", type).put("severity", severity).put("title", "EC2 instance is querying a domain name associated with Bitcoin activity.");
        ObjectNode resource = d.putObject("resource");
        resource.put("resourceType", instance == null ? "AccessKey" : "Instance");
        if (instance != null) {
            ObjectNode det = resource.putObject("instanceDetails");
            det.put("instanceId", instance);
            ArrayNode enis = det.putArray("networkInterfaces");
            int n = 0;
            for (String s : subnets) {
                enis.addObject().put("networkInterfaceId", "eni-0" + (n++) + "00000000000000" + Math.abs(s.hashCode() % 10))
                        .put("subnetId", s).put("vpcId", VPC).put("privateIpAddress", "10.0." + n + ".10");
            }
        } else {
            resource.putObject("accessKeyDetails").put("userName", "deploy-bot").put("accessKeyId", "AKIAEXAMPLE");
        }
        ObjectNode service = d.putObject("service");
        service.put("count", count).put("archived", false);
        service.putObject("action").put("actionType", "DNS_REQUEST").putObject("dnsRequestAction").put("domain", "pool.mining.example");
        return d;
    }

    static GuardDutyFinding finding(ObjectNode d, Instant time) {
        return of(d, "evt-" + d.path("id").asText() + "-" + d.path("service").path("count").asLong(), time, Origin.record("test.json", 1));
    }

    /** What the decoder gives for a finding: the typed fields read from {@code detail}, the JSON kept. */
    static GuardDutyFinding of(JsonNode d, String eventId, Instant time, Origin origin) {
        JsonNode service = d.path("service");
        String inst = d.path("resource").path("instanceDetails").path("instanceId").asText(null);
        InstanceId instance;
        try {
            instance = InstanceId.orNull(inst);
        } catch (RuntimeException e) {
            instance = null;
        }
        return new GuardDutyFinding(eventId, time, AccountId.orNull(d.path("accountId").asText(null)), Region.orNull(d.path("region").asText(null)),
                origin, d.path("id").asText(null), d.path("type").asText(null), d.path("severity").asDouble(0), d.path("title").asText(null),
                service.path("additionalInfo").path("sample").asBoolean(false), service.path("archived").asBoolean(false),
                service.path("count").asLong(1), instance, d);
    }

    /** An EventBridge envelope or a bare finding read from a file, as the decoder will give it. */
    static GuardDutyFinding fromFile(java.nio.file.Path file) throws java.io.IOException {
        JsonNode root = JSON.readTree(file.toFile());
        if (root.has("detail")) {
            JsonNode d = root.get("detail");
            String t = d.path("updatedAt").asText(root.path("time").asText());
            return of(d, root.path("id").asText(), Instant.parse(t), Origin.record(file.toString(), 1));
        }
        return of(root, root.path("id").asText(), Instant.parse(root.path("updatedAt").asText()), Origin.record(file.toString(), 1));
    }

    static InstanceInfo instance(String id, String name, String state, String... subnets) {
        List<NetworkInterfaceInfo> enis = new ArrayList<>();
        int n = 0;
        for (String s : subnets) {
            enis.add(new NetworkInterfaceInfo(NetworkInterfaceId.of("eni-" + id.substring(2) + n++), SubnetId.of(s), VpcId.of(VPC),
                    List.of(SecurityGroupId.of("sg-0app0000000000001"))));
        }
        return new InstanceInfo(InstanceId.of(id), state, T0.minusSeconds(86_400), name == null ? Map.of() : Map.of("Name", name),
                VpcId.of(VPC), subnets.length == 0 ? null : SubnetId.of(subnets[0]), enis, AccountId.of("111122223333"), Region.of("us-east-1"));
    }

    static final List<NetworkAclInfo.Entry> ALLOW_ALL = List.of(
            new NetworkAclInfo.Entry(100, "-1", "allow", false, "0.0.0.0/0", null),
            new NetworkAclInfo.Entry(100, "-1", "allow", true, "0.0.0.0/0", null),
            new NetworkAclInfo.Entry(32767, "-1", "deny", false, "0.0.0.0/0", null),
            new NetworkAclInfo.Entry(32767, "-1", "deny", true, "0.0.0.0/0", null));
    static final List<NetworkAclInfo.Entry> DENY_ALL = List.of(
            new NetworkAclInfo.Entry(32767, "-1", "deny", false, "0.0.0.0/0", null),
            new NetworkAclInfo.Entry(32767, "-1", "deny", true, "0.0.0.0/0", null),
            new NetworkAclInfo.Entry(32768, "-1", "deny", false, null, "::/0"),
            new NetworkAclInfo.Entry(32768, "-1", "deny", true, null, "::/0"));

    /** The VPC's default ACL, associated with the given subnets (association ids aclassoc-<n>). */
    static NetworkAclInfo defaultAcl(String... subnets) {
        List<NetworkAclInfo.Association> a = new ArrayList<>();
        for (int i = 0; i < subnets.length; i++) a.add(new NetworkAclInfo.Association("aclassoc-0000000" + i, SubnetId.of(subnets[i])));
        return new NetworkAclInfo(NetworkAclId.of("acl-0default000000001"), VpcId.of(VPC), true, Map.of(), ALLOW_ALL, a);
    }

    static NetworkAclInfo quarantineAcl(String id, List<NetworkAclInfo.Entry> entries, String... subnets) {
        List<NetworkAclInfo.Association> a = new ArrayList<>();
        for (int i = 0; i < subnets.length; i++) a.add(new NetworkAclInfo.Association("aclassoc-q" + i, SubnetId.of(subnets[i])));
        return new NetworkAclInfo(NetworkAclId.of(id), VpcId.of(VPC), false, Map.of("vigil:quarantine", "true", "Name", "vigil-quarantine"), entries, a);
    }

    /** A detector context that keeps the drafts (with their plans and undo), for unit tests below the responder. */
    static final class Capture implements DetectorContext {
        final List<FindingDraft> drafts = new ArrayList<>();
        final Inventory inventory;
        Instant now = T0;

        Capture(Inventory inventory) {
            this.inventory = inventory;
        }

        @Override
        public Instant now() {
            return now;
        }

        @Override
        public String policy() {
            return "test";
        }

        @Override
        public Inventory inventory() {
            return inventory;
        }

        @Override
        public void report(FindingDraft draft) {
            drafts.add(draft);
        }

        @Override
        public void schedule(String key, Instant due, Map<String, String> data) {
            throw new AssertionError("the GuardDuty rule sets no timers");
        }

        @Override
        public void cancel(String key) {}

        @Override
        public Optional<Timer> timer(String key) {
            return Optional.empty();
        }
    }
}
