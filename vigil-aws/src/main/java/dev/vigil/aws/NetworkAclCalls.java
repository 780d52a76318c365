package dev.vigil.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeNetworkAclsResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkAcl;
import software.amazon.awssdk.services.ec2.model.NetworkAclAssociation;
import software.amazon.awssdk.services.ec2.model.NetworkAclEntry;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * CreateNetworkAcl, ReplaceNetworkAclAssociation, CreateNetworkAclEntry, DeleteNetworkAclEntry and the
 * DescribeNetworkAcls look-ups the executor needs (a subnet's current association; what a taken rule number holds).
 */
final class NetworkAclCalls {
    private NetworkAclCalls() {}

    /** {@code VpcId}, {@code ClientToken}, {@code TagSpecification: [{ResourceType, Tag (or Tags): [{Key, Value}]}]}. */
    static StepResult createAcl(Ec2Client ec2, PlanParams p, boolean dryRun) {
        String vpc = p.string("VpcId");
        String token = p.optString("ClientToken");
        List<TagSpecification> specs = tagSpecifications(p);
        p.done();
        NetworkAcl acl = ec2.createNetworkAcl(b -> b.vpcId(vpc).clientToken(token).tagSpecifications(specs.isEmpty() ? null : specs)
                .dryRun(dryRun ? true : null)).networkAcl();
        if (acl == null || acl.networkAclId() == null) return StepResult.failed("CreateNetworkAcl answered without a networkAclId");
        return StepResult.created(acl.networkAclId(), "created network ACL " + acl.networkAclId() + " in " + acl.vpcId()
                + " (" + acl.entries().size() + " entries, all deny: " + acl.entries().stream().allMatch(e -> "deny".equals(e.ruleActionAsString())) + ")");
    }

    /** {@code TagSpecification: [{ResourceType, Tag (or Tags): [{Key, Value}]}]}. */
    static List<TagSpecification> tagSpecifications(PlanParams p) {
        List<TagSpecification> specs = new ArrayList<>();
        for (PlanParams s : p.maps("TagSpecification")) {
            specs.add(TagSpecification.builder().resourceType(s.string("ResourceType")).tags(tags(s)).build());
            s.done();
        }
        return specs;
    }

    /** {@code Tag (or Tags): [{Key, Value}]}. */
    static List<Tag> tags(PlanParams p) {
        List<Tag> tags = new ArrayList<>();
        for (PlanParams t : p.maps(p.alias("Tag", "Tags"))) {
            tags.add(Tag.builder().key(t.string("Key")).value(t.optString("Value")).build());
            t.done();
        }
        return tags;
    }

    /** {@code AssociationId}, {@code NetworkAclId}. */
    static StepResult replaceAssociation(Ec2Client ec2, PlanParams p, boolean dryRun) {
        String assoc = p.string("AssociationId");
        String acl = p.string("NetworkAclId");
        p.done();
        String created = ec2.replaceNetworkAclAssociation(b -> b.associationId(assoc).networkAclId(acl).dryRun(dryRun ? true : null))
                .newAssociationId();
        // the undo moves the NEW association back; the executor adds the ACL it was on before
        return StepResult.applied("association " + assoc + " moved to " + acl + ", new association " + created,
                created == null ? null : Undos.map("Action", "ReplaceNetworkAclAssociation", "AssociationId", created));
    }

    /** {@code NetworkAclId, RuleNumber, Protocol, RuleAction, Egress, CidrBlock | Ipv6CidrBlock, PortRange {From, To}, IcmpTypeCode {Code, Type}}. */
    static StepResult createEntry(Ec2Client ec2, PlanParams p, boolean dryRun) {
        AclEntry want = AclEntry.read(p);
        p.done();
        ec2.createNetworkAclEntry(b -> b.networkAclId(want.acl()).ruleNumber(want.rule()).protocol(want.protocol())
                .ruleAction(want.action()).egress(want.egress()).cidrBlock(want.cidr()).ipv6CidrBlock(want.ipv6Cidr())
                .portRange(want.portRange()).icmpTypeCode(want.icmp()).dryRun(dryRun ? true : null));
        return StepResult.applied("added " + want.describe(),
                Undos.map("Action", "DeleteNetworkAclEntry", "NetworkAclId", want.acl(), "RuleNumber", want.rule(), "Egress", want.egress()));
    }

    /** {@code NetworkAclId, RuleNumber, Egress}. */
    static StepResult deleteEntry(Ec2Client ec2, PlanParams p, boolean dryRun) {
        String acl = p.string("NetworkAclId");
        Integer rule = p.optInt("RuleNumber");
        Boolean egress = p.optBool("Egress");
        if (rule == null || egress == null) throw new PlanParams.Invalid("DeleteNetworkAclEntry: RuleNumber and Egress are required");
        p.done();
        ec2.deleteNetworkAclEntry(b -> b.networkAclId(acl).ruleNumber(rule).egress(egress).dryRun(dryRun ? true : null));
        return StepResult.applied("removed " + (egress ? "egress" : "ingress") + " rule " + rule + " from " + acl);
    }

    /** As an action of its own: {@code NetworkAclId: [...]}, {@code Filter: [{Name, Value: [...]}]}; says what it found. */
    static StepResult describe(Ec2Client ec2, PlanParams p, boolean dryRun) {
        List<String> ids = p.strings("NetworkAclId");
        List<Filter> filters = new ArrayList<>();
        for (PlanParams f : p.maps("Filter")) {
            filters.add(Filter.builder().name(f.string("Name")).values(f.strings(f.alias("Value", "Values"))).build());
            f.done();
        }
        p.done();
        DescribeNetworkAclsResponse r = ec2.describeNetworkAcls(b -> b.networkAclIds(ids.isEmpty() ? null : ids)
                .filters(filters.isEmpty() ? null : filters).dryRun(dryRun ? true : null));
        List<String> found = r.networkAcls().stream().map(a -> a.networkAclId() + " (" + a.vpcId() + ", " + a.entries().size() + " entries, "
                + a.associations().size() + " associations)").toList();
        return StepResult.applied(found.size() + " network ACL(s)" + (found.isEmpty() ? "" : ": " + String.join("; ", found)));
    }

    /** The subnet's current association: its id and the ACL it points at. */
    static Optional<NetworkAclAssociation> associationOf(Ec2Client ec2, String subnet) {
        return ec2.describeNetworkAcls(b -> b.filters(Filter.builder().name("association.subnet-id").values(subnet).build()))
                .networkAcls().stream().flatMap(a -> a.associations().stream()).filter(a -> subnet.equals(a.subnetId())).findFirst();
    }

    /** The entry at a rule number in one direction of an ACL, if the ACL has one there. */
    static Optional<NetworkAclEntry> entryAt(Ec2Client ec2, String acl, int rule, boolean egress) {
        return ec2.describeNetworkAcls(b -> b.networkAclIds(acl)).networkAcls().stream().flatMap(a -> a.entries().stream())
                .filter(e -> e.ruleNumber() != null && e.ruleNumber() == rule && Boolean.valueOf(egress).equals(e.egress())).findFirst();
    }
}
