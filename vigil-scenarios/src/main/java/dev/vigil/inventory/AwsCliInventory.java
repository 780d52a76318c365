package dev.vigil.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.NetworkAclId;
import dev.vigil.core.event.NetworkInterfaceId;
import dev.vigil.core.event.Region;
import dev.vigil.core.event.SecurityGroupId;
import dev.vigil.core.event.SubnetId;
import dev.vigil.core.event.VpcId;
import dev.vigil.core.inventory.InstanceInfo;
import dev.vigil.core.inventory.NetworkAclInfo;
import dev.vigil.core.inventory.NetworkInterfaceInfo;
import dev.vigil.core.inventory.SecurityGroupInfo;
import dev.vigil.core.inventory.StaticInventory;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Loads the JSON printed by {@code aws ec2 describe-instances}, {@code describe-security-groups} and
 * {@code describe-network-acls} into an inventory. A bad entry is reported (file and entry) and skipped.
 */
public final class AwsCliInventory {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TOP_KEYS = {"Reservations", "SecurityGroups", "NetworkAcls"};

    private AwsCliInventory() {}

    /** True when the file starts like one of the describe-* outputs (looks at the first key only). */
    public static boolean looksLikeInventory(Path file) {
        if (!file.getFileName().toString().endsWith(".json")) return false;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(256);
            String s = new String(head, StandardCharsets.UTF_8).stripLeading();
            if (!s.startsWith("{")) return false;
            s = s.substring(1).stripLeading();
            for (String k : TOP_KEYS) {
                if (s.startsWith("\"" + k + "\"")) return true;
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** Adds what the file describes to {@code into}; problems go to {@code errors} as (where, message). */
    public static int load(Path file, StaticInventory into, BiConsumer<String, String> errors) {
        JsonNode root;
        try (InputStream in = new PushbackInputStream(Files.newInputStream(file))) {
            root = JSON.readTree(in);
        } catch (IOException e) {
            errors.accept(file.toString(), "inventory file is not valid JSON: " + firstLine(e.getMessage()));
            return 0;
        }
        if (root == null || !root.isObject()) {
            errors.accept(file.toString(), "inventory file must be the JSON object printed by aws ec2 describe-*");
            return 0;
        }
        int n = 0;
        int i = 0;
        for (JsonNode res : root.path("Reservations")) {
            String owner = text(res, "OwnerId");
            for (JsonNode inst : res.path("Instances")) {
                i++;
                try {
                    into.add(instance(inst, owner));
                    n++;
                } catch (RuntimeException e) {
                    errors.accept(file + " instance " + i, "skipped: " + firstLine(e.getMessage()));
                }
            }
        }
        i = 0;
        for (JsonNode g : root.path("SecurityGroups")) {
            i++;
            try {
                into.add(new SecurityGroupInfo(SecurityGroupId.of(text(g, "GroupId")), text(g, "GroupName"),
                        VpcId.orNull(text(g, "VpcId")), text(g, "OwnerId"), tags(g)));
                n++;
            } catch (RuntimeException e) {
                errors.accept(file + " security group " + i, "skipped: " + firstLine(e.getMessage()));
            }
        }
        i = 0;
        for (JsonNode a : root.path("NetworkAcls")) {
            i++;
            try {
                into.add(acl(a));
                n++;
            } catch (RuntimeException e) {
                errors.accept(file + " network ACL " + i, "skipped: " + firstLine(e.getMessage()));
            }
        }
        return n;
    }

    private static InstanceInfo instance(JsonNode inst, String owner) {
        InstanceId id = InstanceId.of(text(inst, "InstanceId"));
        List<NetworkInterfaceInfo> enis = new ArrayList<>();
        for (JsonNode eni : inst.path("NetworkInterfaces")) {
            List<SecurityGroupId> groups = new ArrayList<>();
            for (JsonNode g : eni.path("Groups")) groups.add(SecurityGroupId.of(text(g, "GroupId")));
            enis.add(new NetworkInterfaceInfo(NetworkInterfaceId.of(text(eni, "NetworkInterfaceId")),
                    SubnetId.orNull(text(eni, "SubnetId")), VpcId.orNull(text(eni, "VpcId")), groups));
        }
        String az = text(inst.path("Placement"), "AvailabilityZone");
        Region region = az != null && az.length() > 1 ? Region.orNull(az.replaceAll("[a-z]$", "")) : null;
        return new InstanceInfo(id, text(inst.path("State"), "Name"), time(text(inst, "LaunchTime")), tags(inst),
                VpcId.orNull(text(inst, "VpcId")), SubnetId.orNull(text(inst, "SubnetId")), enis,
                AccountId.orNull(owner), region);
    }

    private static NetworkAclInfo acl(JsonNode a) {
        List<NetworkAclInfo.Entry> entries = new ArrayList<>();
        for (JsonNode e : a.path("Entries")) {
            entries.add(new NetworkAclInfo.Entry(e.path("RuleNumber").asInt(), text(e, "Protocol"), text(e, "RuleAction"),
                    e.path("Egress").asBoolean(), text(e, "CidrBlock"), text(e, "Ipv6CidrBlock")));
        }
        List<NetworkAclInfo.Association> assoc = new ArrayList<>();
        for (JsonNode s : a.path("Associations")) {
            assoc.add(new NetworkAclInfo.Association(text(s, "NetworkAclAssociationId"), SubnetId.of(text(s, "SubnetId"))));
        }
        return new NetworkAclInfo(NetworkAclId.of(text(a, "NetworkAclId")), VpcId.orNull(text(a, "VpcId")),
                a.path("IsDefault").asBoolean(), tags(a), entries, assoc);
    }

    private static Map<String, String> tags(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode t : n.path("Tags")) {
            String k = text(t, "Key");
            if (k != null) out.put(k, t.path("Value").asText(""));
        }
        return out;
    }

    private static Instant time(String s) {
        if (s == null) return null;
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("LaunchTime '" + s + "' is not an ISO-8601 time");
            }
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
