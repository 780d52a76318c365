package dev.vigil.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceSpecification;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.NetworkAcl;
import software.amazon.awssdk.services.ec2.model.NetworkAclEntry;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/**
 * An account set up in moto with the SDK, as the scenarios meet it: one VPC with two subnets behind the VPC's default
 * network ACL; a web group with SSH open to the world and HTTPS from the VPC; a protected {@code db-admin} group with
 * PostgreSQL from the VPC; an isolation group; three instances launched with their network interface spelt out
 * ({@code NetworkInterfaces=[{DeviceIndex:0,SubnetId,Groups}]}, the way moto reports the ENI's groups alone): web-1 and
 * web-2 in subnet A, app-1 in subnet B. The scenario events are the bundled examples with their ids replaced by these.
 */
public final class MotoAccount {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Region REGION = Region.EU_WEST_1;

    public final Ec2Client ec2;
    public final String vpc;
    public final String subnetA;
    public final String subnetB;
    public final String web;
    public final String dbAdmin;
    public final String isolation;
    public final String web1;
    public final String web2;
    public final String app1;
    /** The ids moto gave the rules authorized at set-up. */
    public final String sshWorldRule;
    public final String httpsRule;
    public final String pgRule;

    public MotoAccount(Moto moto) {
        ec2 = moto.ec2(REGION);
        vpc = ec2.createVpc(b -> b.cidrBlock("10.20.0.0/16")).vpc().vpcId();
        subnetA = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.20.1.0/24").availabilityZone("eu-west-1a")).subnet().subnetId();
        subnetB = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.20.2.0/24").availabilityZone("eu-west-1b")).subnet().subnetId();
        web = ec2.createSecurityGroup(b -> b.vpcId(vpc).groupName("web").description("web servers")).groupId();
        dbAdmin = ec2.createSecurityGroup(b -> b.vpcId(vpc).groupName("db-admin").description("database admin")).groupId();
        isolation = ec2.createSecurityGroup(b -> b.vpcId(vpc).groupName("isolation").description("lets nothing in")).groupId();
        sshWorldRule = authorize(web, 22, "0.0.0.0/0");
        httpsRule = authorize(web, 443, "10.20.0.0/16");
        pgRule = authorize(dbAdmin, 5432, "10.20.0.0/16");
        web1 = launch(subnetA, web, "web-1");
        web2 = launch(subnetA, web, "web-2");
        app1 = launch(subnetB, web, "app-1");
    }

    private String authorize(String group, int port, String cidr) {
        return ec2.authorizeSecurityGroupIngress(b -> b.groupId(group).ipPermissions(IpPermission.builder().ipProtocol("tcp")
                .fromPort(port).toPort(port).ipRanges(IpRange.builder().cidrIp(cidr).build()).build())).securityGroupRules().get(0)
                .securityGroupRuleId();
    }

    private String launch(String subnet, String group, String name) {
        return ec2.runInstances(b -> b.imageId("ami-12c6146b").instanceType("t3.micro").minCount(1).maxCount(1)
                .networkInterfaces(InstanceNetworkInterfaceSpecification.builder().deviceIndex(0).subnetId(subnet).groups(group).build())
                .tagSpecifications(t -> t.resourceType("instance").tags(k -> k.key("Name").value(name))))
                .instances().get(0).instanceId();
    }

    /** Authorizes one more ingress rule, as someone would by hand; returns its rule id. */
    public String authorizeIngress(String group, int port, String cidr) {
        return authorize(group, port, cidr);
    }

    /** The group's ingress rules, each as {@code port cidr} (e.g. {@code 22 0.0.0.0/0}). */
    public Set<String> ingress(String group) {
        return ec2.describeSecurityGroupRules(b -> b.filters(Filter.builder().name("group-id").values(group).build()))
                .securityGroupRules().stream().filter(r -> !r.isEgress())
                .map(r -> r.fromPort() + " " + (r.cidrIpv4() != null ? r.cidrIpv4() : r.cidrIpv6()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    public List<SecurityGroupRule> ingressRules(String group) {
        return ec2.describeSecurityGroupRules(b -> b.filters(Filter.builder().name("group-id").values(group).build()))
                .securityGroupRules().stream().filter(r -> !r.isEgress()).toList();
    }

    /** The groups of the instance's network interfaces. */
    public Set<String> groupsOf(String instance) {
        return ec2.describeNetworkInterfaces(b -> b.filters(Filter.builder().name("attachment.instance-id").values(instance).build()))
                .networkInterfaces().stream().flatMap(n -> n.groups().stream()).map(g -> g.groupId())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    public String eniOf(String instance) {
        return ec2.describeNetworkInterfaces(b -> b.filters(Filter.builder().name("attachment.instance-id").values(instance).build()))
                .networkInterfaces().get(0).networkInterfaceId();
    }

    /** The network ACL the subnet is associated with. */
    public NetworkAcl aclOf(String subnet) {
        return ec2.describeNetworkAcls(b -> b.filters(Filter.builder().name("association.subnet-id").values(subnet).build()))
                .networkAcls().get(0);
    }

    /** The VPC's ACLs tagged vigil:quarantine=true. */
    public List<NetworkAcl> quarantineAcls() {
        return ec2.describeNetworkAcls(b -> b.filters(Filter.builder().name("vpc-id").values(vpc).build(),
                Filter.builder().name("tag:vigil:quarantine").values("true").build())).networkAcls();
    }

    /** The inbound deny entries of the subnet's ACL, each as {@code rule-number cidr}. */
    public Set<String> inboundDenies(String subnet) {
        return aclOf(subnet).entries().stream().filter(e -> !e.egress() && "deny".equals(e.ruleActionAsString()) && e.ruleNumber() < 32767)
                .map(e -> e.ruleNumber() + " " + e.cidrBlock()).collect(Collectors.toCollection(TreeSet::new));
    }

    public static List<NetworkAclEntry> entries(NetworkAcl acl) {
        return acl.entries();
    }

    // ---- the scenarios' events: bundled examples, their ids replaced with this account's

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The sg-guard example: [0] 5432 on the protected group from a contractor VPN, [1] SSH opened to the world. */
    public List<String> sgGuardEvents(String dbRule, String worldRule) throws IOException {
        JsonNode all = JSON.readTree(read("examples/sg-guard/eventbridge-sg-calls.json"));
        String protectedChange = all.get(0).toString().replace("sg-0a11b22c33d44e55f", dbAdmin).replace("sgr-0e1d2c3b4a5968778", dbRule);
        // the world-open call: one IPv4 rule (moto answers one rule per range; the IPv6 one is left out)
        String world = all.get(1).toString().replace("sg-0f9e8d7c6b5a49382", web).replace("sgr-01234abcd5678ef90", worldRule)
                .replace(",{\"cidrIpv6\":\"::/0\"}", "").replace("{\"items\":[{\"cidrIpv6\":\"::/0\"}]}", "{}");
        JsonNode w = JSON.readTree(world);
        var items = (com.fasterxml.jackson.databind.node.ArrayNode) w.path("detail").path("responseElements").path("securityGroupRuleSet").path("items");
        if (items.size() > 1) items.remove(1);
        return List.of(account(protectedChange), account(w.toString()));
    }

    /** The GuardDuty example finding (CryptoCurrency, severity 8) on this instance, with its own finding id. */
    public String guardDutyFinding(String instance, String findingId) {
        String eni = eniOf(instance);
        String s = read("examples/guardduty/01-bitcoin-dns-finding.json")
                .replace("i-06d7e5f4c3b2a1908", instance).replace("eni-0f3a9c1d2b4e5f607", eni)
                .replace("subnet-0c4d5e6f7a8b9c0d1", subnetOf(instance)).replace("vpc-0e1f2a3b4c5d6e7f8", vpc)
                .replace("sg-0b1c2d3e4f5a6b7c8", web).replace("7ac7f0a3b1e24c6f9d1b2e3f4a5b6c7d", findingId)
                .replace("0c3e1c7a-5b8f-4a42-9d1e-6f2a7b3c4d51", "0c3e1c7a-5b8f-4a42-9d1e-" + String.format("%012x", findingId.hashCode() & 0xffffffffL))
                .replace("us-east-1", REGION.id());
        try {
            JsonNode n = JSON.readTree(s);
            // one network interface, as the instance has
            ((com.fasterxml.jackson.databind.node.ArrayNode) n.path("detail").path("resource").path("instanceDetails").path("networkInterfaces")).remove(1);
            return account(n.toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The sshd lines of web-1 (a brute force from 198.51.100.77) as a CloudWatch Logs subscription delivers them. */
    public String sshLogs(String instance) {
        return account(read("examples/ssh/cloudwatch-secure-web-1.json").replace("i-0a1b2c3d4e5f60718", instance));
    }

    public String subnetOf(String instance) {
        return ec2.describeInstances(b -> b.instanceIds(instance)).reservations().get(0).instances().get(0).subnetId();
    }

    private static String account(String s) {
        return s.replace("111122223333", Moto.ACCOUNT);
    }
}
