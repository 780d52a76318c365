package dev.vigil.scenario.sigma;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.core.policy.PolicyNode;
import dev.vigil.core.sigma.SigmaException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finds rule files (a file, or the {@code .yml}/{@code .yaml} files under a directory, in path order) and reads each
 * into its YAML documents as {@link PolicyNode}s that remember their lines. Sizes and depth are bounded; YAML errors
 * and duplicate keys are errors naming file and line.
 */
final class SigmaFiles {
    static final long MAX_FILE_BYTES = 1 << 20;
    static final int MAX_FILES = 10_000;
    static final int MAX_DEPTH = 64;
    private static final YAMLFactory YAML = new YAMLFactory();

    private SigmaFiles() {}

    /** The rule files a path names: itself, or the YAML files under it. */
    static List<Path> list(Path p) throws IOException {
        if (Files.isRegularFile(p)) return List.of(p);
        if (!Files.isDirectory(p)) throw new IOException("no such file or directory");
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(p, 16)) {
            s.filter(Files::isRegularFile).filter(f -> {
                String n = f.getFileName().toString();
                return n.endsWith(".yml") || n.endsWith(".yaml");
            }).sorted().forEach(out::add);
        }
        if (out.size() > MAX_FILES) throw new IOException("more than " + MAX_FILES + " rule files");
        return out;
    }

    /** The rule id of a file: its name without {@code .yml} / {@code .yaml}. */
    static String ruleId(Path f) {
        String n = f.getFileName().toString();
        if (n.endsWith(".yml")) return n.substring(0, n.length() - 4);
        if (n.endsWith(".yaml")) return n.substring(0, n.length() - 5);
        return n;
    }

    static List<PolicyNode> read(Path f) {
        String name = f.toString();
        try {
            if (Files.size(f) > MAX_FILE_BYTES) throw new SigmaException(name, 1, "file", "larger than 1 MB");
            return parse(name, Files.readString(f, StandardCharsets.UTF_8));
        } catch (java.nio.charset.MalformedInputException e) {
            throw new SigmaException(name, 1, "file", "not UTF-8 text");
        } catch (IOException e) {
            throw new SigmaException(name, 1, "file", "cannot read: " + e.getMessage());
        }
    }

    static List<PolicyNode> parse(String name, String text) {
        List<PolicyNode> docs = new ArrayList<>();
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                docs.add(value(name, p, t, "", 0, -1));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
            throw new SigmaException(name, line, "YAML", String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("invalid"));
        } catch (IOException e) {
            throw new SigmaException(name, 1, "file", "cannot read: " + e.getMessage());
        } catch (RuntimeException e) {
            if (e instanceof SigmaException s) throw s;
            throw new SigmaException(name, 1, "YAML", String.valueOf(e.getMessage()).lines().findFirst().orElse("invalid"));
        }
        return docs;
    }

    /** {@code keyLine}: the line of the key a mapping or list stands under (errors about it name that line). */
    private static PolicyNode value(String file, JsonParser p, JsonToken t, String path, int depth, int keyLine) throws IOException {
        int line = keyLine > 0 ? keyLine : p.currentTokenLocation().getLineNr();
        if (depth > MAX_DEPTH) throw new SigmaException(file, line, "YAML", "nested more than " + MAX_DEPTH + " levels");
        switch (t) {
            case START_OBJECT -> {
                Map<String, PolicyNode> m = new LinkedHashMap<>();
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    int kl = p.currentTokenLocation().getLineNr();
                    if (m.containsKey(k)) throw new SigmaException(file, kl, "key '" + k + "'", "appears twice");
                    String child = path.isEmpty() ? k : path + "." + k;
                    m.put(k, value(file, p, p.nextToken(), child, depth + 1, kl));
                }
                return new PolicyNode(file, line, path, m);
            }
            case START_ARRAY -> {
                List<PolicyNode> l = new ArrayList<>();
                int i = 0;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) throw new SigmaException(file, line, "YAML", "unterminated list");
                    l.add(value(file, p, t, path + "[" + i++ + "]", depth + 1, -1));
                }
                return new PolicyNode(file, line, path, l);
            }
            case VALUE_NULL -> {
                return new PolicyNode(file, line, path, null);
            }
            default -> {
                if (!t.isScalarValue()) throw new SigmaException(file, line, "YAML", "unexpected " + t);
                return new PolicyNode(file, line, path, p.getText());
            }
        }
    }
}
