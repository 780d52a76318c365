package dev.vigil.policy;

import dev.vigil.core.engine.DetectorRegistry;
import dev.vigil.core.policy.PolicyCompiler;
import dev.vigil.core.policy.PolicyException;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.scenario.Detectors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Loads and checks policy files, and holds the built-in default policy. */
public final class Policies {
    public static final String DEFAULT_NAME = "default-policy.yaml";

    private Policies() {}

    public static DetectorRegistry registry() {
        return Detectors.registry();
    }

    public static PolicySet load(Path file) {
        return new PolicyCompiler(registry()).compile(YamlPolicyReader.read(file));
    }

    public static PolicySet parse(String name, String yaml) {
        return new PolicyCompiler(registry()).compile(YamlPolicyReader.read(name, yaml));
    }

    public static String defaultText() {
        try (InputStream in = Policies.class.getResourceAsStream("/dev/vigil/" + DEFAULT_NAME)) {
            if (in == null) throw new PolicyException("built-in default policy missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PolicyException("cannot read the built-in default policy: " + e.getMessage());
        }
    }

    /**
     * The set with one more policy, {@code sigma} (or {@code sigma-cli} when that name is taken), running the Sigma rules
     * of {@code rules} (files or directories): what {@code --sigma DIR} adds on the command line.
     */
    public static PolicySet withSigma(PolicySet set, java.util.List<Path> rules) {
        if (rules.isEmpty()) return set;
        String name = set.policies().stream().anyMatch(p -> p.name().equals("sigma")) ? "sigma-cli" : "sigma";
        StringBuilder y = new StringBuilder("policies:\n  - name: ").append(name).append("\n    detector: sigma\n    params:\n      rules:\n");
        for (Path r : rules) y.append("        - '").append(r.toAbsolutePath().toString().replace("'", "''")).append("'\n");
        PolicySet extra = parse("--sigma", y.toString());
        java.util.List<dev.vigil.core.policy.PolicyDef> all = new java.util.ArrayList<>(set.policies());
        all.addAll(extra.policies());
        return new PolicySet(set.file(), set.self(), set.targets(), set.exemptions(), all, set.live());
    }

    public static PolicySet defaults() {
        return parse("(default policy)", defaultText());
    }
}
