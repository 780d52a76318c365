package dev.vigil.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The decoder's own tree reader builds what databind's {@code readValueAsTree} builds, node type for node type. */
class TreeReadTest {
    private static final List<String> FIXED = List.of("{}", "[]", "null", "true", "false", "0", "-0", "-0.0", "1.5", "1e3", "1E-7", "1e400", "-1e400",
            "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808", "123456789012345678901234567890",
            "0.1000000000000000055511151231257827", "\"a\\u0000\\ud800b\"", "{\"a\":1,\"a\":{\"b\":2},\"c\":3}", "[1,[2,[3,{}]],\"x\",null]",
            "{\"userIdentity\":{\"type\":\"AssumedRole\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\"},\"webIdFederationData\":{}}}}");

    private static JsonNode databind(String json) throws IOException {
        try (JsonParser p = JsonEvents.JSON.getFactory().createParser(json)) {
            p.nextToken();
            return p.readValueAsTree();
        }
    }

    private static JsonNode ours(String json) throws IOException {
        try (JsonParser p = JsonEvents.JSON.getFactory().createParser(json)) {
            return CloudTrailRecords.tree(p, p.nextToken());
        }
    }

    @Test
    void fixedValuesGiveTheSameTrees() throws IOException {
        for (String json : FIXED) {
            JsonNode a = databind(json);
            JsonNode b = ours(json);
            assertEquals(a, b, json);
            assertEquals(a.getClass(), b.getClass(), json);
            assertEquals(a.toString(), b.toString(), json);
        }
    }

    @Test
    void randomValuesGiveTheSameTrees() throws IOException {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 3000; i++) {
            String json = value(r, 0);
            JsonNode a = databind(json);
            JsonNode b = ours(json);
            assertEquals(a, b, "seed " + seed + ": " + json);
            assertEquals(a.toString(), b.toString(), "seed " + seed + ": " + json);
        }
    }

    @Test
    void truncatedInputFailsAsTheParserSays() {
        for (String json : List.of("{\"a\":", "{\"a\":1", "[1,2", "{\"a\":[{\"b\":")) {
            assertThrows(IOException.class, () -> ours(json), json);
            assertThrows(IOException.class, () -> databind(json), json);
        }
    }

    private static String value(SplittableRandom r, int depth) {
        int k = r.nextInt(depth > 4 ? 6 : 8);
        return switch (k) {
            case 0 -> "null";
            case 1 -> r.nextBoolean() ? "true" : "false";
            case 2 -> switch (r.nextInt(4)) {
                case 0 -> String.valueOf(r.nextInt());
                case 1 -> String.valueOf(r.nextLong());
                case 2 -> r.nextLong(1, Long.MAX_VALUE) + "" + r.nextInt(1000, 9999);
                default -> String.valueOf(r.nextInt(100));
            };
            case 3 -> switch (r.nextInt(3)) {
                case 0 -> String.valueOf(r.nextDouble() * 1e6);
                case 1 -> r.nextInt(100) + "e" + (r.nextInt(700) - 350);
                default -> "-" + r.nextInt(10) + "." + r.nextLong(0, Long.MAX_VALUE);
            };
            case 4, 5 -> {
                StringBuilder b = new StringBuilder("\"");
                int n = r.nextInt(8);
                for (int i = 0; i < n; i++) {
                    int c = r.nextInt(6);
                    if (c == 0) b.append("\\u").append(String.format("%04x", r.nextInt(0x10000)));
                    else if (c == 1) b.append("\\\"");
                    else b.append((char) ('a' + r.nextInt(26)));
                }
                yield b.append('"').toString();
            }
            case 6 -> {
                StringBuilder b = new StringBuilder("{");
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    if (i > 0) b.append(',');
                    b.append("\"k").append(r.nextInt(3)).append("\":").append(value(r, depth + 1)); // duplicate keys now and then
                }
                yield b.append('}').toString();
            }
            default -> {
                StringBuilder b = new StringBuilder("[");
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    if (i > 0) b.append(',');
                    b.append(value(r, depth + 1));
                }
                yield b.append(']').toString();
            }
        };
    }
}
