package dev.vigil.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** CloudFormation intrinsic functions as data (the long form: {@code {"Ref": X}}, {@code {"Fn::Sub": "..."}}). */
final class Template {
    private Template() {}

    static Map<String, Object> param(String name) {
        return Map.of("Ref", name);
    }

    static Map<String, Object> ref(String name) {
        return Map.of("Ref", name);
    }

    static Map<String, Object> getAtt(String resource, String attribute) {
        return Map.of("Fn::GetAtt", List.of(resource, attribute));
    }

    /** A Sub when the text holds a {@code ${...}}, else the text itself. */
    static Object sub(String text) {
        return text.contains("${") ? Map.of("Fn::Sub", text) : text;
    }

    /** An ordered map from alternating keys and values. */
    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    static Map<String, Object> resource(String type, Map<String, Object> properties) {
        return map("Type", type, "Properties", properties);
    }

    /** A stateful resource with what becomes of its data said explicitly (cfn-lint I3011), on deletion and on replacement. */
    static Map<String, Object> resource(String type, String deletionPolicy, Map<String, Object> properties) {
        return map("Type", type, "DeletionPolicy", deletionPolicy, "UpdateReplacePolicy", deletionPolicy, "Properties", properties);
    }
}
