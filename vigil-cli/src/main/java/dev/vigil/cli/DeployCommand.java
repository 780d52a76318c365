package dev.vigil.cli;

import dev.vigil.core.policy.PolicyException;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.deploy.DeploymentPlan;
import dev.vigil.deploy.Rendering;
import dev.vigil.deploy.TemplateBuilder;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "deploy", mixinStandardHelpOptions = true, description = "Deployment on AWS.",
        subcommands = {DeployCommand.TemplateCommand.class})
final class DeployCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: template");
    }

    enum Format { yaml, json }

    @Command(name = "template", mixinStandardHelpOptions = true,
            description = "Print a CloudFormation (SAM) template for the policy: EventBridge rules, queue, functions, table, timers, roles.")
    static final class TemplateCommand implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        PolicyOptions.File policy;

        @Option(names = "--org", description = "Organization-wide: accept events from the organization's accounts, assume a member role in each.")
        boolean org;

        @Option(names = "--format", defaultValue = "yaml", description = "yaml or json (default: ${DEFAULT-VALUE}).")
        Format format;

        @Override
        public Integer call() {
            PolicySet set;
            try {
                set = policy.load();
            } catch (PolicyException e) {
                System.err.println("vigil: " + e.getMessage());
                return 2;
            }
            Map<String, Object> t = TemplateBuilder.build(DeploymentPlan.of(set, org));
            System.out.print(format == Format.json ? Rendering.json(t) : Rendering.yaml(t));
            return 0;
        }
    }
}
