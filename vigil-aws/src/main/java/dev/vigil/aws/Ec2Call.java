package dev.vigil.aws;

import software.amazon.awssdk.services.ec2.Ec2Client;

/** One EC2 API action: builds the SDK request from the plan's params (read strictly) and reads the answer. */
@FunctionalInterface
interface Ec2Call {
    StepResult run(Ec2Client ec2, PlanParams params, boolean dryRun);
}
