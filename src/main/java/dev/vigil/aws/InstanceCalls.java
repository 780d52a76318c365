package dev.vigil.aws;

import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceStateChange;

/** ModifyNetworkInterfaceAttribute (groups of one interface), ModifyInstanceAttribute (groups), StopInstances. */
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

    /** {@code InstanceId: [...]}, optional {@code Force}, {@code Hibernate}. */
    static StepResult stop(Ec2Client ec2, PlanParams p, boolean dryRun) {
        List<String> ids = p.strings("InstanceId");
        if (ids.isEmpty()) throw new PlanParams.Invalid("StopInstances: InstanceId is required");
        Boolean force = p.optBool("Force");
        Boolean hibernate = p.optBool("Hibernate");
        p.done();
        List<InstanceStateChange> changes = ec2.stopInstances(b -> b.instanceIds(ids).force(force).hibernate(hibernate)
                .dryRun(dryRun ? true : null)).stoppingInstances();
        List<String> said = changes.stream().map(c -> c.instanceId() + " " + state(c.previousState()) + " -> " + state(c.currentState())).toList();
        boolean allStopped = !changes.isEmpty() && changes.stream().allMatch(c -> c.previousState() != null
                && ("stopped".equals(c.previousState().nameAsString()) || "stopping".equals(c.previousState().nameAsString())));
        String detail = "stop " + String.join(", ", said.isEmpty() ? ids : said);
        return allStopped ? StepResult.already(detail + ": already stopping or stopped") : StepResult.applied(detail);
    }

    private static String state(software.amazon.awssdk.services.ec2.model.InstanceState s) {
        return s == null ? "?" : s.nameAsString();
    }
}
