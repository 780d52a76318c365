package dev.vigil.aws;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The regions enabled in the account, as {@code vigil run --all-regions} watches them: EC2 DescribeRegions with
 * {@code AllRegions=false} in the home region (the regions the account may use), kept only where the opt-in status says
 * so ({@code opt-in-not-required} or {@code opted-in}; an opt-in region not opted in has no resources and refuses calls)
 * and in the home region's partition (an endpoint that answers for every partition, as moto does, names GovCloud and
 * China too). Sorted by name, the home region first.
 */
public final class EnabledRegions {
    private static final Set<String> ENABLED = Set.of("opt-in-not-required", "opted-in");

    private EnabledRegions() {}

    /** @throws software.amazon.awssdk.core.exception.SdkException when DescribeRegions fails (the caller says it in one line) */
    public static List<String> list(Ec2Client ec2, Region home) {
        String partition = partition(home);
        List<String> enabled = ec2.describeRegions(r -> r.allRegions(false)).regions().stream()
                .filter(r -> r.optInStatus() == null || ENABLED.contains(r.optInStatus()))
                .map(software.amazon.awssdk.services.ec2.model.Region::regionName)
                .filter(Objects::nonNull)
                .filter(n -> partition == null || partition.equals(partition(Region.of(n))))
                .distinct()
                .sorted((a, b) -> a.equals(home.id()) ? -1 : b.equals(home.id()) ? 1 : a.compareTo(b))
                .toList();
        if (enabled.isEmpty()) throw new IllegalStateException("DescribeRegions named no enabled region");
        return enabled;
    }

    /** The partition a region belongs to ({@code aws}, {@code aws-cn}, {@code aws-us-gov}, ...), or null when unknown. */
    static String partition(Region r) {
        try {
            PartitionMetadata p = PartitionMetadata.of(r);
            return p == null ? null : p.id();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
