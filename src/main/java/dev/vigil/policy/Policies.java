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

    public static PolicySet defaults() {
        return parse("(default policy)", defaultText());
    }
}
