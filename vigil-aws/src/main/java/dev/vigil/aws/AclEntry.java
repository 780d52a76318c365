package dev.vigil.aws;

import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.ec2.model.IcmpTypeCode;
import software.amazon.awssdk.services.ec2.model.NetworkAclEntry;
import software.amazon.awssdk.services.ec2.model.PortRange;

/** A network ACL entry as a plan asks for it, and whether an entry EC2 reports is the same one. */
record AclEntry(String acl, int rule, String protocol, String action, boolean egress, String cidr, String ipv6Cidr,
        PortRange portRange, IcmpTypeCode icmp) {

    private static final Map<String, String> PROTOCOL_NUMBERS = Map.of("all", "-1", "tcp", "6", "udp", "17", "icmp", "1", "icmpv6", "58");

    static AclEntry read(PlanParams p) {
        String acl = p.string("NetworkAclId");
        Integer rule = p.optInt("RuleNumber");
        Boolean egress = p.optBool("Egress");
        String protocol = p.string("Protocol");
        String action = p.string("RuleAction");
        String cidr = p.optString("CidrBlock");
        String v6 = p.optString("Ipv6CidrBlock");
        if (rule == null || egress == null) throw new PlanParams.Invalid("CreateNetworkAclEntry: RuleNumber and Egress are required");
        if ((cidr == null) == (v6 == null)) throw new PlanParams.Invalid("CreateNetworkAclEntry: give CidrBlock or Ipv6CidrBlock (one of them)");
        PortRange ports = null;
        PlanParams pr = p.optMap("PortRange");
        if (pr != null) {
            ports = PortRange.builder().from(pr.optInt("From")).to(pr.optInt("To")).build();
            pr.done();
        }
        IcmpTypeCode icmp = null;
        PlanParams ic = p.optMap("IcmpTypeCode");
        if (ic != null) {
            icmp = IcmpTypeCode.builder().code(ic.optInt("Code")).type(ic.optInt("Type")).build();
            ic.done();
        }
        return new AclEntry(acl, rule, protocol, action, egress, cidr, v6, ports, icmp);
    }

    /** Same direction, rule, action, protocol, addresses and ports: the entry the plan wanted is already there. */
    boolean sameAs(NetworkAclEntry e) {
        return e.ruleNumber() != null && e.ruleNumber() == rule && Boolean.valueOf(egress).equals(e.egress())
                && action.equalsIgnoreCase(String.valueOf(e.ruleActionAsString()))
                && number(protocol).equals(number(e.protocol()))
                && Objects.equals(cidr, e.cidrBlock()) && Objects.equals(ipv6Cidr, e.ipv6CidrBlock())
                && Objects.equals(portRange, e.portRange()) && Objects.equals(icmp, e.icmpTypeCode());
    }

    String describe() {
        return (egress ? "egress" : "ingress") + " rule " + rule + " " + action + " protocol " + protocol + " "
                + (cidr != null ? cidr : ipv6Cidr) + (portRange != null ? " ports " + portRange.from() + "-" + portRange.to() : "") + " to " + acl;
    }

    static String describe(NetworkAclEntry e) {
        return (Boolean.TRUE.equals(e.egress()) ? "egress" : "ingress") + " rule " + e.ruleNumber() + " " + e.ruleActionAsString() + " protocol "
                + e.protocol() + " " + (e.cidrBlock() != null ? e.cidrBlock() : e.ipv6CidrBlock());
    }

    private static String number(String protocol) {
        return protocol == null ? "" : PROTOCOL_NUMBERS.getOrDefault(protocol.toLowerCase(java.util.Locale.ROOT), protocol);
    }
}
