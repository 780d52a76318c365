package dev.vigil.aws;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterface;
import software.amazon.awssdk.services.ec2.model.NetworkAcl;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The live look-up a daemon starts from: DescribeInstances, DescribeSecurityGroups and DescribeNetworkAcls (all pages)
 * into the same inventory the {@code describe-*} files give replay. What fails is one line each and the rest goes on:
 * a daemon without permission to describe ACLs still watches bastions.
 */
public final class Ec2Inventory {
    private Ec2Inventory() {}

    /** Loads the region's instances, groups and ACLs into {@code into}; returns how many items were read. */
    public static int load(Ec2Client ec2, String regionName, StaticInventory into, BiConsumer<String, String> problems) {
        int n = 0;
        Region region = Region.orNull(regionName);
        String where = "ec2 " + regionName;
        try {
            for (var page : ec2.describeInstancesPaginator(r -> r.maxResults(1000))) {
                for (Reservation res : page.reservations()) {
                    for (Instance i : res.instances()) {
                        try {
                            into.add(instance(i, AccountId.orNull(res.ownerId()), region));
                            n++;
                        } catch (RuntimeException e) {
                            problems.accept(where + " instance " + i.instanceId(), "skipped: " + e.getMessage());
                        }
                    }
                }
            }
        } catch (SdkException e) {
            problems.accept(where, "DescribeInstances failed: " + oneLine(e));
        }
        try {
            for (var page : ec2.describeSecurityGroupsPaginator(r -> r.maxResults(1000))) {
                for (SecurityGroup g : page.securityGroups()) {
                    try {
                        into.add(new SecurityGroupInfo(SecurityGroupId.of(g.groupId()), g.groupName(), VpcId.orNull(g.vpcId()), g.ownerId(), tags(g.tags())));
                        n++;
                    } catch (RuntimeException e) {
                        problems.accept(where + " security group " + g.groupId(), "skipped: " + e.getMessage());
                    }
                }
            }
        } catch (SdkException e) {
            problems.accept(where, "DescribeSecurityGroups failed: " + oneLine(e));
        }
        try {
            for (var page : ec2.describeNetworkAclsPaginator(r -> r.maxResults(1000))) {
                for (NetworkAcl a : page.networkAcls()) {
                    try {
                        into.add(acl(a));
                        n++;
                    } catch (RuntimeException e) {
                        problems.accept(where + " network ACL " + a.networkAclId(), "skipped: " + e.getMessage());
                    }
                }
            }
        } catch (SdkException e) {
            problems.accept(where, "DescribeNetworkAcls failed: " + oneLine(e));
        }
        return n;
    }

    static InstanceInfo instance(Instance i, AccountId owner, Region region) {
        List<NetworkInterfaceInfo> enis = new ArrayList<>();
        for (InstanceNetworkInterface eni : i.networkInterfaces()) {
            enis.add(new NetworkInterfaceInfo(NetworkInterfaceId.of(eni.networkInterfaceId()), SubnetId.orNull(eni.subnetId()),
                    VpcId.orNull(eni.vpcId()), eni.groups().stream().map(g -> SecurityGroupId.of(g.groupId())).toList()));
        }
        return new InstanceInfo(InstanceId.of(i.instanceId()), i.state() == null ? null : i.state().nameAsString(), i.launchTime(),
                tags(i.tags()), VpcId.orNull(i.vpcId()), SubnetId.orNull(i.subnetId()), enis, owner, region);
    }

    static NetworkAclInfo acl(NetworkAcl a) {
        List<NetworkAclInfo.Entry> entries = a.entries().stream().map(e -> new NetworkAclInfo.Entry(e.ruleNumber() == null ? 0 : e.ruleNumber(),
                e.protocol(), e.ruleActionAsString(), Boolean.TRUE.equals(e.egress()), e.cidrBlock(), e.ipv6CidrBlock())).toList();
        List<NetworkAclInfo.Association> assoc = a.associations().stream()
                .map(s -> new NetworkAclInfo.Association(s.networkAclAssociationId(), SubnetId.of(s.subnetId()))).toList();
        return new NetworkAclInfo(NetworkAclId.of(a.networkAclId()), VpcId.orNull(a.vpcId()), Boolean.TRUE.equals(a.isDefault()), tags(a.tags()),
                entries, assoc);
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Tag t : tags) if (t.key() != null) out.put(t.key(), t.value() == null ? "" : t.value());
        return out;
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse("");
    }
}
