package dev.vigil.scenario.sg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One IP permission as CloudTrail recorded it, kept whole so that its exact inverse can be sent: protocol, ports
 * (absent for protocol -1 and the like; ICMP type and code for ICMP), and every kind of peer with its description.
 */
record Permission(String protocol, Integer fromPort, Integer toPort, List<Peer> ipv4, List<Peer> ipv6, List<Peer> prefixLists,
                  List<GroupPair> groups) {

    /** A CIDR (v4 or v6) or a prefix list id, with its description. */
    record Peer(String value, String description) {}

    /** A user id group pair: another group, possibly another account's or across a peering. */
    record GroupPair(String groupId, String groupName, String userId, String vpcId, String peeringId, String description) {}

    Permission {
        ipv4 = List.copyOf(ipv4);
        ipv6 = List.copyOf(ipv6);
        prefixLists = List.copyOf(prefixLists);
        groups = List.copyOf(groups);
    }

    boolean allProtocols() {
        return "-1".equals(protocol) || "all".equalsIgnoreCase(protocol);
    }

    boolean icmp() {
        return "icmp".equalsIgnoreCase(protocol) || "1".equals(protocol) || "icmpv6".equalsIgnoreCase(protocol) || "58".equals(protocol);
    }

    /** All ports: protocol -1, or tcp/udp 0-65535 (or no ports given for a port protocol). */
    boolean allPorts() {
        if (allProtocols()) return true;
        if (icmp()) return false;
        return fromPort == null || toPort == null || (fromPort <= 0 && toPort >= 65535) || (fromPort == -1 && toPort == -1);
    }

    boolean covers(int port) {
        if (allPorts()) return true;
        if (icmp()) return false;
        return fromPort <= port && port <= toPort;
    }

    /** World-open peers: a /0 CIDR (CloudTrail keeps odd forms like 208.236.235.254/0: still the whole internet). */
    static boolean world(String cidr) {
        return cidr != null && cidr.endsWith("/0");
    }

    List<Peer> worldV4() {
        return ipv4.stream().filter(p -> world(p.value())).toList();
    }

    List<Peer> worldV6() {
        return ipv6.stream().filter(p -> world(p.value())).toList();
    }

    boolean openToWorld() {
        return !worldV4().isEmpty() || !worldV6().isEmpty();
    }

    /** The same permission with only its world-open ranges. */
    Permission worldOnly() {
        return new Permission(protocol, fromPort, toPort, worldV4(), worldV6(), List.of(), List.of());
    }

    /** "tcp 22", "all traffic", "icmp type 8 code 0", "udp 1000-2000". */
    String what() {
        if (allProtocols()) return "all traffic";
        if (icmp()) {
            String t = fromPort == null || fromPort == -1 ? "all types" : "type " + fromPort;
            String c = toPort == null || toPort == -1 ? "" : " code " + toPort;
            return protocol.toLowerCase(java.util.Locale.ROOT) + " " + t + c;
        }
        String p = protocol.matches("\\d+") ? "protocol " + protocol : protocol.toLowerCase(java.util.Locale.ROOT);
        if (allPorts()) return p + " all ports";
        return p + " " + (fromPort.equals(toPort) ? String.valueOf(fromPort) : fromPort + "-" + toPort);
    }

    /** Each peer in plain words: "tcp 22 from 0.0.0.0/0". */
    List<String> plainWords(boolean egress) {
        String dir = egress ? " to " : " from ";
        List<String> out = new ArrayList<>();
        ipv4.forEach(p -> out.add(what() + dir + p.value()));
        ipv6.forEach(p -> out.add(what() + dir + p.value()));
        prefixLists.forEach(p -> out.add(what() + dir + "prefix list " + p.value()));
        for (GroupPair g : groups) {
            String who = g.groupId() != null ? g.groupId() : "group " + g.groupName();
            if (g.userId() != null) who += " (account " + g.userId() + ")";
            if (g.peeringId() != null) who += " via " + g.peeringId();
            out.add(what() + dir + who);
        }
        if (out.isEmpty()) out.add(what() + dir + "(no peer)");
        return out;
    }

    /** The EC2 API's {@code IpPermissions} item for this permission, in the API's own names, absent fields left out. */
    Map<String, Object> toApi() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("IpProtocol", protocol);
        if (fromPort != null) m.put("FromPort", fromPort);
        if (toPort != null) m.put("ToPort", toPort);
        if (!ipv4.isEmpty()) m.put("IpRanges", ipv4.stream().map(p -> peer("CidrIp", p)).toList());
        if (!ipv6.isEmpty()) m.put("Ipv6Ranges", ipv6.stream().map(p -> peer("CidrIpv6", p)).toList());
        if (!prefixLists.isEmpty()) m.put("PrefixListIds", prefixLists.stream().map(p -> peer("PrefixListId", p)).toList());
        if (!groups.isEmpty()) {
            m.put("UserIdGroupPairs", groups.stream().map(g -> {
                Map<String, Object> x = new LinkedHashMap<>();
                if (g.description() != null) x.put("Description", g.description());
                if (g.groupId() != null) x.put("GroupId", g.groupId());
                if (g.groupName() != null) x.put("GroupName", g.groupName());
                if (g.userId() != null) x.put("UserId", g.userId());
                if (g.vpcId() != null) x.put("VpcId", g.vpcId());
                if (g.peeringId() != null) x.put("VpcPeeringConnectionId", g.peeringId());
                return (Object) x;
            }).toList());
        }
        return m;
    }

    private static Object peer(String name, Peer p) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put(name, p.value());
        if (p.description() != null) x.put("Description", p.description());
        return x;
    }
}
