package dev.vigil.scenario.guardduty;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.event.GuardDutyFinding;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.SubnetId;
import dev.vigil.core.event.VpcId;
import dev.vigil.core.finding.Severity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the responder reads from one GuardDuty finding's JSON, tolerant of anything missing or oddly typed: the
 * record's typed fields come first, the finding JSON ({@code detail}) fills what the decoder left out.
 *
 * @param interfaces every network interface the finding lists, in order (may be empty)
 * @param remoteIps the IPv4 addresses under {@code service.action.*.remoteIpDetails}, in order, without repeats
 */
record FindingDetails(
        String findingId, String type, String title, double score, Severity severity, String resourceType,
        InstanceId instance, String resourceName, List<Interface> interfaces, List<String> remoteIps, long count,
        boolean sample, boolean archived) {

    /** One entry of {@code resource.instanceDetails.networkInterfaces[]}; subnet or VPC may be null. */
    record Interface(String id, SubnetId subnet, VpcId vpc) {}

    private static final int MAX_DEPTH = 6;
    private static final int MAX_IPS = 20;

    static FindingDetails of(GuardDutyFinding f) {
        JsonNode d = f.detail() == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : f.detail();
        JsonNode resource = d.path("resource");
        JsonNode details = resource.path("instanceDetails");
        JsonNode service = d.path("service");
        InstanceId instance = f.instance() != null ? f.instance() : instanceId(text(details, "instanceId"));
        String type = f.type() != null ? f.type() : text(d, "type");
        String title = f.title() != null ? f.title() : text(d, "title");
        double score = f.severity() > 0 ? f.severity() : d.path("severity").asDouble(0);
        String findingId = f.findingId() != null ? f.findingId() : text(d, "id");
        long count = Math.max(f.count(), service.path("count").asLong(1));
        boolean sample = f.sample() || service.path("additionalInfo").path("sample").asBoolean(false);
        boolean archived = f.archived() || service.path("archived").asBoolean(false);
        Set<String> ips = new LinkedHashSet<>();
        collectRemoteIps(service.path("action"), ips, 0);
        return new FindingDetails(findingId, type == null ? "" : type, title, score, severity(score), text(resource, "resourceType"),
                instance, resourceName(resource), interfaces(details.path("networkInterfaces")), List.copyOf(ips), count, sample, archived);
    }

    /** GuardDuty's bands: below 4 low, 4 to 6.9 medium, 7 to 8.9 high, 9 and above critical. */
    static Severity severity(double score) {
        if (!(score >= 4)) return Severity.LOW; // also NaN
        if (score < 7) return Severity.MEDIUM;
        if (score < 9) return Severity.HIGH;
        return Severity.CRITICAL;
    }

    private static List<Interface> interfaces(JsonNode list) {
        List<Interface> out = new ArrayList<>();
        if (!list.isArray()) return out;
        for (JsonNode n : list) {
            SubnetId subnet = id(text(n, "subnetId"), SubnetId::orNull);
            VpcId vpc = id(text(n, "vpcId"), VpcId::orNull);
            if (subnet != null || vpc != null) out.add(new Interface(text(n, "networkInterfaceId"), subnet, vpc));
        }
        return List.copyOf(out);
    }

    /** Walks {@code service.action} (networkConnectionAction, awsApiCallAction, portProbeAction.portProbeDetails[] ...). */
    private static void collectRemoteIps(JsonNode n, Set<String> out, int depth) {
        if (depth > MAX_DEPTH || out.size() >= MAX_IPS) return;
        if (n.isObject()) {
            String ip = text(n.path("remoteIpDetails"), "ipAddressV4");
            if (ip != null && !ip.isBlank()) out.add(ip);
            n.properties().forEach(e -> {
                if (!e.getKey().equals("remoteIpDetails")) collectRemoteIps(e.getValue(), out, depth + 1);
            });
        } else if (n.isArray()) {
            for (JsonNode x : n) collectRemoteIps(x, out, depth + 1);
        }
    }

    /** A name for non-instance resources (access key's user, first bucket), for output only. */
    private static String resourceName(JsonNode resource) {
        String user = text(resource.path("accessKeyDetails"), "userName");
        if (user != null) return user;
        JsonNode buckets = resource.path("s3BucketDetails");
        if (buckets.isArray() && !buckets.isEmpty()) return text(buckets.get(0), "name");
        return null;
    }

    private static InstanceId instanceId(String s) {
        return id(s, InstanceId::orNull);
    }

    /** Ids that do not have the expected form (anonymised samples) are treated as absent rather than thrown. */
    private static <T> T id(String s, java.util.function.Function<String, T> parse) {
        try {
            return parse.apply(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    boolean hasInstance() {
        return instance != null;
    }
}
