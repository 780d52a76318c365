package dev.vigil.cli;

import java.net.URI;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;

/** Where the operations commands reach AWS: the deployment's table and stack, and the EC2 calls of an undo. */
final class AwsOptions {
    @Option(names = "--endpoint-url", paramLabel = "URL", description = "An AWS-compatible endpoint.")
    URI endpoint;

    @Option(names = "--region", paramLabel = "REGION", defaultValue = "${env:AWS_REGION:-us-east-1}",
            description = "Region of the deployment, and of an action that recorded none (default: $AWS_REGION, else us-east-1).")
    String region;

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS profile (default: the standard provider chain).")
    String profile;

    AwsCredentialsProvider credentials() {
        return profile != null ? ProfileCredentialsProvider.create(profile) : DefaultCredentialsProvider.builder().build();
    }
}
