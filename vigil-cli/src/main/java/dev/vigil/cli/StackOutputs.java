package dev.vigil.cli;

import dev.vigil.aws.Ec2Errors;

import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;

/** A deployed stack's outputs ({@code vigil deploy template} declares {@code StateTableName} among them). */
public final class StackOutputs {
    public static final String STATE_TABLE = "StateTableName";

    private StackOutputs() {}

    /** The output's value; a one-line error when the stack or the output is not there. */
    public static String value(CloudFormationClient cfn, String stack, String output) {
        try {
            var stacks = cfn.describeStacks(b -> b.stackName(stack)).stacks();
            if (stacks.isEmpty()) throw new IllegalArgumentException("no stack " + stack);
            Optional<String> v = stacks.get(0).outputs().stream().filter(o -> output.equals(o.outputKey())).map(Output::outputValue).findFirst();
            return v.orElseThrow(() -> new IllegalArgumentException("stack " + stack + " has no output " + output
                    + " (is it a vigil deployment? outputs: " + stacks.get(0).outputs().stream().map(Output::outputKey).toList() + ")"));
        } catch (SdkException e) {
            throw new IllegalArgumentException("cloudformation DescribeStacks " + stack + ": " + Ec2Errors.oneLine(e.getMessage()), e);
        }
    }
}
