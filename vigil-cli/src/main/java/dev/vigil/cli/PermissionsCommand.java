package dev.vigil.cli;

import dev.vigil.core.policy.PolicyException;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.deploy.DeploymentPlan;
import dev.vigil.deploy.Permissions;
import dev.vigil.deploy.Rendering;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "permissions", mixinStandardHelpOptions = true,
        description = "Print the least-privilege IAM policy (JSON) of vigil's functions for the enabled policies and their responses.")
final class PermissionsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    PolicyOptions.File policy;

    @Option(names = "--org", description = "Organization-wide: also sts:AssumeRole on the member role in every account of the organization.")
    boolean org;

    @Option(names = "--member", description = "Print only the EC2 statements: the policy of the role vigil assumes in each member account.")
    boolean member;

    @Option(names = "--stack-name", defaultValue = "vigil", description = "Name prefix of the stack's resources (default: ${DEFAULT-VALUE}).")
    String stack;

    @Option(names = "--region", defaultValue = "*", description = "Region in ARNs (default: any).")
    String region;

    @Option(names = "--account", defaultValue = "*", description = "Account id in ARNs (default: any).")
    String account;

    @Option(names = "--partition", defaultValue = "aws")
    String partition;

    @Option(names = "--trail-bucket", defaultValue = "*", description = "The CloudTrail bucket, when cloudtrail-audit is enabled (default: any bucket, AWSLogs/ keys only).")
    String trailBucket;

    @Option(names = "--member-role", defaultValue = "vigil-member", description = "Member role name, with --org (default: ${DEFAULT-VALUE}).")
    String memberRole;

    @Option(names = "--org-id", description = "Organization id (o-...), needed with --org.")
    String orgId;

    @Option(names = "--all-regions", description = "The daemon watches every enabled region (vigil run --all-regions):"
            + " also ec2:DescribeRegions, which it calls once at start.")
    boolean allRegions;

    @Option(names = "--policy-parameter", defaultValue = "/vigil/policy",
            description = "The SSM parameter the functions read the policy from (default: ${DEFAULT-VALUE}).")
    String policyParameter;

    @Override
    public Integer call() {
        PolicySet set;
        try {
            set = policy.load();
        } catch (PolicyException e) {
            System.err.println("vigil: " + e.getMessage());
            return 2;
        }
        DeploymentPlan plan = DeploymentPlan.of(set, org);
        List<Permissions.Statement> statements = new java.util.ArrayList<>(member ? Permissions.ec2(plan, "${AWS::AccountId}") : Permissions.of(plan));
        if (allRegions) statements.add(Permissions.listRegions());
        Map<String, String> values = new HashMap<>();
        values.put("AWS::Partition", partition);
        values.put("AWS::Region", region);
        values.put("AWS::AccountId", account);
        values.put("AWS::StackName", stack);
        values.put("TrailBucketName", trailBucket);
        values.put("MemberRoleName", memberRole);
        values.put("PolicyParameterName", policyParameter.startsWith("/") ? policyParameter : "/" + policyParameter);
        if (orgId != null) values.put("OrgId", orgId);
        try {
            System.out.print(Rendering.json(Permissions.document(statements, s -> Rendering.substitute(s, values))));
        } catch (IllegalArgumentException e) {
            String option = switch (e.getMessage()) {
                case "TrailBucketName" -> "--trail-bucket (the policy enables cloudtrail-audit)";
                case "OrgId" -> "--org-id (with --org)";
                default -> e.getMessage();
            };
            throw new CommandLine.ParameterException(spec.commandLine(), "missing " + option);
        }
        return 0;
    }
}
