package dev.vigil.policy;

import dev.vigil.core.policy.PolicyException;
import dev.vigil.core.policy.PolicyNode;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a policy file into {@link PolicyNode}s that remember their line, using SnakeYAML's node graph (not its
 * object construction: no tags, no arbitrary types). Duplicate keys and YAML syntax errors name file and line.
 */
public final class YamlPolicyReader {
    private static final int MAX_BYTES = 4 * 1024 * 1024;

    private YamlPolicyReader() {}

    public static PolicyNode read(Path file) {
        String name = file.toString();
        try {
            if (Files.size(file) > MAX_BYTES) throw new PolicyException(name + ": policy file larger than 4 MB");
            return read(name, Files.readString(file, StandardCharsets.UTF_8));
        } catch (java.nio.charset.MalformedInputException e) {
            throw new PolicyException(name + ": not UTF-8 text");
        } catch (IOException e) {
            throw new PolicyException(name + ": cannot read: " + e.getMessage());
        }
    }

    public static PolicyNode read(String name, String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setCodePointLimit(MAX_BYTES);
        Yaml yaml = new Yaml(options);
        try (Reader r = new StringReader(text)) {
            Node root = yaml.compose(r);
            if (root == null) throw new PolicyException(name + ":1: the policy file is empty");
            return convert(name, root, "");
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            int line = m == null ? 0 : m.getLine() + 1;
            String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
            throw new PolicyException(name + ":" + line + ": invalid YAML: " + what.replace('\n', ' '));
        } catch (YAMLException e) {
            throw new PolicyException(name + ": invalid YAML: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new PolicyException(name + ": cannot read: " + e.getMessage());
        }
    }

    private static PolicyNode convert(String file, Node node, String path) {
        int line = node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
        if (node instanceof ScalarNode s) {
            String v = s.getValue();
            boolean plainNull = s.isPlain() && (v.isEmpty() || v.equals("~") || v.equals("null") || v.equals("Null") || v.equals("NULL"));
            return new PolicyNode(file, line, path, plainNull ? null : v);
        }
        if (node instanceof SequenceNode seq) {
            List<PolicyNode> items = new ArrayList<>();
            int i = 0;
            for (Node item : seq.getValue()) items.add(convert(file, item, path + "[" + i++ + "]"));
            return new PolicyNode(file, line, path, items);
        }
        if (node instanceof MappingNode map) {
            Map<String, PolicyNode> out = new LinkedHashMap<>();
            for (NodeTuple t : map.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    throw new PolicyException(file + ":" + (t.getKeyNode().getStartMark().getLine() + 1) + ": keys must be plain text");
                }
                String key = k.getValue();
                String childPath = path.isEmpty() ? key : path + "." + key;
                if (out.containsKey(key)) {
                    throw new PolicyException(file + ":" + (k.getStartMark().getLine() + 1) + ": " + childPath + ": duplicate key '" + key + "'");
                }
                out.put(key, convert(file, t.getValueNode(), childPath));
            }
            return new PolicyNode(file, line, path, out);
        }
        throw new PolicyException(file + ":" + line + ": unsupported YAML node");
    }
}
