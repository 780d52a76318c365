package dev.vigil.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A structural check of a JSON document against a shape of an AWS API model, read in place from the botocore
 * installed with the machine's Python (botocore/data/SERVICE/VERSION/service-2.json.gz): structures (members,
 * required), lists, maps, strings (enum, min/max length, pattern), numbers and booleans. Null when botocore is absent.
 */
final class BotocoreShapes {
    private static final java.util.regex.Pattern DOC_MAX = java.util.regex.Pattern.compile("Length Constraints:[^<]*?Maximum (?:length )?of (\\d+)");
    private final JsonNode shapes;

    private BotocoreShapes(JsonNode shapes) {
        this.shapes = shapes;
    }

    static BotocoreShapes load(String service, String version) {
        for (Path root : candidates()) {
            Path p = root.resolve("botocore/data/" + service + "/" + version + "/service-2.json.gz");
            if (!Files.isRegularFile(p)) continue;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
                return new BotocoreShapes(new ObjectMapper().readTree(in).get("shapes"));
            } catch (IOException e) {
                throw new IllegalStateException(p + ": " + e.getMessage(), e);
            }
        }
        return null;
    }

    private static List<Path> candidates() {
        List<Path> out = new ArrayList<>();
        String pyenv = System.getenv().getOrDefault("PYENV_ROOT", System.getProperty("user.home") + "/.pyenv");
        Path versions = Path.of(pyenv, "versions");
        if (Files.isDirectory(versions)) {
            try (var s = Files.list(versions)) {
                s.sorted().forEach(v -> {
                    try (var libs = Files.list(v.resolve("lib"))) {
                        libs.forEach(l -> out.add(l.resolve("site-packages")));
                    } catch (IOException ignored) {
                        // not a Python install
                    }
                });
            } catch (IOException ignored) {
                // no pyenv
            }
        }
        out.add(Path.of("/usr/lib/python3/dist-packages"));
        return out;
    }

    /** Every way {@code doc} breaks the shape, as "path: problem"; empty when it fits. */
    List<String> check(JsonNode doc, String shape) {
        List<String> errors = new ArrayList<>();
        check(doc, shape, "$", errors);
        return errors;
    }

    private void check(JsonNode v, String shapeName, String path, List<String> errors) {
        JsonNode s = shapes.get(shapeName);
        if (s == null) {
            errors.add(path + ": unknown shape " + shapeName);
            return;
        }
        String type = s.path("type").asText();
        switch (type) {
            case "structure" -> {
                if (!v.isObject()) {
                    errors.add(path + ": expected an object (" + shapeName + ")");
                    return;
                }
                for (JsonNode r : s.path("required")) if (!v.has(r.asText())) errors.add(path + ": missing required " + r.asText());
                for (Map.Entry<String, JsonNode> e : v.properties()) {
                    JsonNode m = s.path("members").get(e.getKey());
                    if (m == null) {
                        errors.add(path + ": " + e.getKey() + " is not a member of " + shapeName);
                        continue;
                    }
                    check(e.getValue(), m.get("shape").asText(), path + "." + e.getKey(), errors);
                    // Security Hub states most length limits in the member's documentation, not in the shape
                    var max = DOC_MAX.matcher(m.path("documentation").asText());
                    if (e.getValue().isTextual() && max.find() && e.getValue().asText().length() > Integer.parseInt(max.group(1))) {
                        errors.add(path + "." + e.getKey() + ": longer than the documented maximum of " + max.group(1));
                    }
                }
            }
            case "list" -> {
                if (!v.isArray()) {
                    errors.add(path + ": expected an array (" + shapeName + ")");
                    return;
                }
                length(v.size(), s, path, errors);
                for (int i = 0; i < v.size(); i++) check(v.get(i), s.at("/member/shape").asText(), path + "[" + i + "]", errors);
            }
            case "map" -> {
                if (!v.isObject()) {
                    errors.add(path + ": expected an object (map " + shapeName + ")");
                    return;
                }
                length(v.size(), s, path, errors);
                for (Map.Entry<String, JsonNode> e : v.properties()) {
                    check(new ObjectMapper().getNodeFactory().textNode(e.getKey()), s.at("/key/shape").asText(), path + "{key}", errors);
                    check(e.getValue(), s.at("/value/shape").asText(), path + "." + e.getKey(), errors);
                }
            }
            case "string" -> {
                if (!v.isTextual()) {
                    errors.add(path + ": expected a string (" + shapeName + ")");
                    return;
                }
                String t = v.asText();
                length(t.length(), s, path, errors);
                if (s.has("enum")) {
                    List<String> allowed = new ArrayList<>();
                    s.get("enum").forEach(x -> allowed.add(x.asText()));
                    if (!allowed.contains(t)) errors.add(path + ": '" + t + "' is not one of " + allowed);
                }
                if (s.has("pattern")) {
                    try {
                        if (!java.util.regex.Pattern.compile(s.get("pattern").asText(), java.util.regex.Pattern.DOTALL).matcher(t).matches()) {
                            errors.add(path + ": does not match " + s.get("pattern").asText());
                        }
                    } catch (java.util.regex.PatternSyntaxException ignored) {
                        // a pattern Java cannot read: not checked
                    }
                }
            }
            case "integer", "long" -> {
                if (!v.isIntegralNumber()) errors.add(path + ": expected an integer");
            }
            case "double", "float" -> {
                if (!v.isNumber()) errors.add(path + ": expected a number");
            }
            case "boolean" -> {
                if (!v.isBoolean()) errors.add(path + ": expected a boolean");
            }
            default -> errors.add(path + ": shape type " + type + " not checked");
        }
    }

    private static void length(int n, JsonNode s, String path, List<String> errors) {
        if (s.has("min") && n < s.get("min").asInt()) errors.add(path + ": " + n + " below min " + s.get("min").asInt());
        if (s.has("max") && n > s.get("max").asLong()) errors.add(path + ": " + n + " above max " + s.get("max").asLong());
    }
}
