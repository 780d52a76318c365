package dev.vigil.aws;

import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.InstanceProfileRegionProvider;

/**
 * The runtime's home region, as the SDK's region provider chain finds it, never a hard-coded default: {@code --region},
 * then {@code AWS_REGION}, {@code AWS_DEFAULT_REGION} (the AWS CLI's name, which the SDK itself does not read), the
 * profile's {@code region} ({@code --profile}, else {@code AWS_PROFILE}, else {@code default}), and, when asked,
 * the instance's metadata (on EC2). None of them: an error naming them all.
 */
public final class RegionChain {
    private RegionChain() {}

    /** No region anywhere in the chain. */
    public static final class NoRegion extends IllegalArgumentException {
        NoRegion(String message) {
            super(message);
        }
    }

    /**
     * @param env the environment (passed in, for tests)
     * @param metadata whether to ask the instance metadata service last (the daemon on EC2)
     */
    public static Region resolve(String explicit, String profile, Function<String, String> env, boolean metadata) {
        if (present(explicit)) return Region.of(explicit.trim());
        for (String var : new String[] {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
            String v = env.apply(var);
            if (present(v)) return Region.of(v.trim());
        }
        String name = present(profile) ? profile : present(env.apply("AWS_PROFILE")) ? env.apply("AWS_PROFILE") : "default";
        try {
            return new AwsProfileRegionProvider(ProfileFile::defaultProfileFile, name).getRegion();
        } catch (SdkClientException | IllegalStateException e) {
            // no region in the profile
        }
        if (metadata) {
            try {
                return new InstanceProfileRegionProvider().getRegion();
            } catch (SdkClientException e) {
                // not on EC2
            }
        }
        throw new NoRegion("no AWS region: give --region, or set AWS_REGION or AWS_DEFAULT_REGION, or a region in profile " + name);
    }

    /**
     * The same chain without the instance metadata, for a run that makes no AWS call (findings are placed in the
     * region found): null when there is none.
     */
    public static Region resolveOrNull(String explicit, String profile, Function<String, String> env) {
        try {
            return resolve(explicit, profile, env, false);
        } catch (NoRegion e) {
            return null;
        }
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
