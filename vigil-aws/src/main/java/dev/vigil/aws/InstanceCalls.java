package dev.vigil.aws;

import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceStateChange;
import software.amazon.awssdk.services.ec2.model.Tag;

/** ModifyNetworkInterfaceAttribute (groups of one interface), ModifyInstanceAttribute (groups), Stop/StartInstances, CreateTags. */
final class InstanceCalls {
    private InstanceCalls() {}

    /** {@code NetworkInterfaceId}, {@code SecurityGroupId: [...]}: the interface's groups become exactly these. */
    static StepResult modifyInterfaceGroups(Ec2Client ec2, PlanParams p, boolean dryRun) {
        String eni = p.string("NetworkInterfaceId");
        List<String> groups = p.strings("SecurityGroupId");
        if (groups.isEmpty()) throw new PlanParams.Invalid("ModifyNetworkInterfaceAttribute: SecurityGroupId is required");
        p.done();
        ec2.modifyNetworkInterfaceAttribute(b -> b.networkInterfaceId(eni).groups(groups).dryRun(dryRun ? true : null));
        return StepResult.applied("groups of " + eni + " set to " + groups);
    }

    /** {@code InstanceId}, {@code GroupId: [...]}. */
    static StepResult modifyInstanceGroups(Ec2Client ec2, PlanParams p, boolean dryRun) {
        String instance = p.string("InstanceId");
        List<String> groups = p.strings("GroupId");
        if (groups.isEmpty()) throw new PlanParams.Invalid("ModifyInstanceAttribute: GroupId is required");
        p.done();
        ec2.modifyInstanceAttribute(b -> b.instanceId(instance).groups(groups).dryRun(dryRun ? true : null));
        return StepResult.applied("groups of " + instance + " set to " + groups);
    }

    /** {@code InstanceId: [...]}, optional {@code Force}, {@code Hibernate}. Undo starts the ones that were running. */
    static StepResult stop(Ec2Client ec2, PlanParams p, boolean dryRun) {
        List<String> ids = p.strings("InstanceId");
        if (ids.isEmpty()) throw new PlanParams.Invalid("StopInstances: InstanceId is required");
        Boolean force = p.optBool("Force");
        Boolean hibernate = p.optBool("Hibernate");
        p.done();
        List<InstanceStateChange> changes = ec2.stopInstances(b -> b.instanceIds(ids).force(force).hibernate(hibernate)
                .dryRun(dryRun ? true : null)).stoppingInstances();
        return changed("stop", ids, changes, List.of("stopping", "stopped"), List.of("running", "pending"), "StartInstances");
    }

    /** {@code InstanceId: [...]}. Undo stops the ones that were stopped. */
    static StepResult start(Ec2Client ec2, PlanParams p, boolean dryRun) {
        List<String> ids = p.strings("InstanceId");
        if (ids.isEmpty()) throw new PlanParams.Invalid("StartInstances: InstanceId is required");
        p.done();
        List<InstanceStateChange> changes = ec2.startInstances(b -> b.instanceIds(ids).dryRun(dryRun ? true : null)).startingInstances();
        return changed("start", ids, changes, List.of("pending", "running"), List.of("stopped", "stopping"), "StopInstances");
    }

    /** {@code ResourceId: [...]}, {@code Tag (or Tags): [{Key, Value}]}. No undo: a tag's earlier value is not known. */
    static StepResult createTags(Ec2Client ec2, PlanParams p, boolean dryRun) {
        List<String> ids = p.strings("ResourceId");
        List<Tag> tags = NetworkAclCalls.tags(p);
        if (ids.isEmpty() || tags.isEmpty()) throw new PlanParams.Invalid("CreateTags: ResourceId and Tag are required");
        p.done();
        ec2.createTags(b -> b.resources(ids).tags(tags).dryRun(dryRun ? true : null));
        return StepResult.applied("tagged " + String.join(", ", ids) + " with " + tags.stream().map(Tag::key).toList());
    }

    /** Already applied when every instance was already in one of {@code done}; undo reverses the ones that were in {@code from}. */
    private static StepResult changed(String verb, List<String> ids, List<InstanceStateChange> changes, List<String> done, List<String> from, String undoAction) {
        List<String> said = changes.stream().map(c -> c.instanceId() + " " + state(c.previousState()) + " -> " + state(c.currentState())).toList();
        boolean all = !changes.isEmpty() && changes.stream().allMatch(c -> c.previousState() != null && done.contains(c.previousState().nameAsString()));
        String detail = verb + " " + String.join(", ", said.isEmpty() ? ids : said);
        if (all) return StepResult.already(detail + ": already " + String.join(" or ", done));
        List<String> reversible = changes.stream().filter(c -> c.previousState() != null && from.contains(c.previousState().nameAsString()))
                .map(InstanceStateChange::instanceId).toList();
        return StepResult.applied(detail, reversible.isEmpty() ? null : Undos.map("Action", undoAction, "InstanceId", reversible));
    }

    private static String state(software.amazon.awssdk.services.ec2.model.InstanceState s) {
        return s == null ? "?" : s.nameAsString();
    }
}
