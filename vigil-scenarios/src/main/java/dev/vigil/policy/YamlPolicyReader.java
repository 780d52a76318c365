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
    /** Deeper than any policy needs; SnakeYAML's own limit, and the pre-scan's, which names the line. */
    static final int MAX_DEPTH = 50;
    /** Aliases to collections (SnakeYAML's count) and to anything (the pre-scan's). */
    static final int MAX_COLLECTION_ALIASES = 20;
    static final int MAX_ALIASES = 20;
    /** Values a policy may expand to once its aliases are followed (a billion-laughs file stops here). */
    static final int MAX_VALUES = 100_000;

    private YamlPolicyReader() {}

    public static PolicyNode read(Path file) {
        String name = file.toString();
        try {
            if (Files.size(file) > MAX_BYTES) throw new PolicyException(name + ":1: policy file larger than 4 MB, not read");
            return read(name, Files.readString(file, StandardCharsets.UTF_8));
        } catch (java.nio.charset.MalformedInputException e) {
            throw new PolicyException(name + ": not UTF-8 text");
        } catch (IOException e) {
            throw new PolicyException(name + ": cannot read: " + e.getMessage());
        }
    }

    /** SnakeYAML's limits, all set here rather than left to its defaults. */
    static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(MAX_COLLECTION_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_BYTES);
        options.setProcessComments(false);
        options.setWrappedToRootException(false);
        return options;
    }

    public static PolicyNode read(String name, String text) {
        if (text.length() > MAX_BYTES) throw new PolicyException(name + ":1: policy file larger than 4 MB, not read");
        try (Reader r = new StringReader(text)) {
            YamlScan.check(name, text, loaderOptions(), MAX_DEPTH, MAX_ALIASES);
            Node root = new Yaml(loaderOptions()).compose(r);
            if (root == null) throw new PolicyException(name + ":1: the policy file is empty");
            return convert(name, root, "", new Budget(), java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()), 1);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            int line = m == null ? 0 : m.getLine() + 1;
            String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
            throw new PolicyException(name + ":" + line + ": invalid YAML: " + what.replace('\n', ' '));
        } catch (YAMLException e) {
            throw new PolicyException(name + ":1: invalid YAML: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new PolicyException(name + ":1: cannot read: " + e.getMessage());
        } catch (StackOverflowError e) {
            throw new PolicyException(name + ":1: too deeply nested to read");
        }
    }

    /** How many more values the file may expand to. */
    private static final class Budget {
        int left = MAX_VALUES;
    }

    /** @param usedAt the line where the value is used (its key's): an alias's node carries its anchor's line */
    private static PolicyNode convert(String file, Node node, String path, Budget budget, java.util.Set<Node> open, int usedAt) {
        int line = node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
        if (--budget.left < 0) {
            throw new PolicyException(file + ":" + line + ": " + (path.isEmpty() ? "" : path + ": ")
                    + "aliases expand to more than " + MAX_VALUES + " values (an alias bomb?)");
        }
        if (!(node instanceof ScalarNode) && !open.add(node)) {
            throw new PolicyException(file + ":" + usedAt + ": " + (path.isEmpty() ? "" : path + ": ") + "an alias refers to a value that contains it");
        }
        try {
            return convertNode(file, node, path, budget, open, line);
        } finally {
            open.remove(node);
        }
    }

    private static PolicyNode convertNode(String file, Node node, String path, Budget budget, java.util.Set<Node> open, int line) {
        if (node instanceof ScalarNode s) {
            String v = s.getValue();
            boolean plainNull = s.isPlain() && (v.isEmpty() || v.equals("~") || v.equals("null") || v.equals("Null") || v.equals("NULL"));
            return new PolicyNode(file, line, path, plainNull ? null : v);
        }
        if (node instanceof SequenceNode seq) {
            List<PolicyNode> items = new ArrayList<>();
            int i = 0;
            for (Node item : seq.getValue()) items.add(convert(file, item, path + "[" + i++ + "]", budget, open, line));
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
                out.put(key, convert(file, t.getValueNode(), childPath, budget, open, k.getStartMark().getLine() + 1));
            }
            return new PolicyNode(file, line, path, out);
        }
        throw new PolicyException(file + ":" + line + ": unsupported YAML node");
    }
}
