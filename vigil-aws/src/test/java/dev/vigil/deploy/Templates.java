package dev.vigil.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.policy.Policies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/** Test helpers: templates generated and read back as YAML (as `sam` would read them), and walks over them. */
final class Templates {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    private Templates() {}

    static PolicySet examplesPolicy() {
        return Policies.load(Path.of("examples/policy.yaml"));
    }

    /** The examples' policy with some policies switched off (by name). */
    static PolicySet examplesPolicyWithout(String... disabled) throws Exception {
        String text = Files.readString(Path.of("examples/policy.yaml"));
        for (String name : disabled) {
            String marker = "  - name: " + name + "\n";
            if (!text.contains(marker)) throw new IllegalArgumentException(name);
            text = text.replace(marker, marker + "    enabled: false\n");
        }
        return Policies.parse("test-policy.yaml", text);
    }

    static JsonNode template(PolicySet set, boolean org) throws Exception {
        return YAML.readTree(Rendering.yaml(TemplateBuilder.build(DeploymentPlan.of(set, org))));
    }

    static void walk(JsonNode n, Consumer<JsonNode> visit) {
        visit.accept(n);
        if (n.isContainerNode()) n.forEach(c -> walk(c, visit));
    }

    /** Every IAM policy document in the template (role policies, queue and bus policies). */
    static List<JsonNode> statements(JsonNode template) {
        List<JsonNode> out = new ArrayList<>();
        walk(template.get("Resources"), n -> {
            if (n.isObject() && n.has("Statement")) {
                JsonNode s = n.get("Statement");
                if (s.isArray()) s.forEach(out::add);
                else out.add(s);
            }
        });
        return out;
    }

    static Set<String> actions(JsonNode statement) {
        Set<String> out = new TreeSet<>();
        JsonNode a = statement.get("Action");
        if (a == null) return out;
        if (a.isArray()) a.forEach(x -> out.add(x.asText()));
        else out.add(a.asText());
        return out;
    }

    /** Actions granted to vigil's functions. */
    static Set<String> functionActions(JsonNode template) {
        Set<String> out = new TreeSet<>();
        for (JsonNode policy : template.at("/Resources/FunctionRole/Properties/Policies")) {
            for (JsonNode s : policy.at("/PolicyDocument/Statement")) out.addAll(actions(s));
        }
        return out;
    }
}
