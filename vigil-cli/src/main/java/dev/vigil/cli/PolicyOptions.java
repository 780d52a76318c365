package dev.vigil.cli;

import dev.vigil.core.policy.PolicyException;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.policy.Policies;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The option mixins of the commands that load policies: {@code --policy} (replay, run, deploy template, permissions)
 * and {@code --sigma} (replay, run), each loading what it names the one way.
 */
final class PolicyOptions {
    private PolicyOptions() {}

    /** {@code --policy FILE}: the policy file, else the built-in default policy. */
    static final class File {
        @Option(names = "--policy", paramLabel = "FILE", description = "Policy file (default: the built-in default policy).")
        Path path;

        /** The policies of {@code --policy}, else the built-in ones. */
        PolicySet load() throws PolicyException {
            return path == null ? Policies.defaults() : Policies.load(path);
        }
    }

    /** {@code --sigma PATH}, repeatable: Sigma rules added as a policy named sigma. */
    static final class Sigma {
        @Option(names = "--sigma", paramLabel = "PATH",
                description = "Also run the Sigma rules of PATH (a .yml file or a directory of them) as a policy named sigma; repeatable.")
        List<Path> paths = new ArrayList<>();

        /** {@code set} with the Sigma policy added when {@code --sigma} names rules. */
        PolicySet addTo(PolicySet set) throws PolicyException {
            return Policies.withSigma(set, paths);
        }
    }
}
