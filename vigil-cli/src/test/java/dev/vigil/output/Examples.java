package dev.vigil.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs the command line in-process and reads what it printed (stdout as JSON lines). */
final class Examples {
    static final ObjectMapper JSON = new ObjectMapper();

    record Run(int code, String out, String err) {
        List<JsonNode> lines() throws IOException {
            List<JsonNode> l = new ArrayList<>();
            for (String s : out.split("\n")) if (!s.isBlank()) l.add(JSON.readTree(s));
            return l;
        }
    }

    private Examples() {}

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** The JSON Lines findings of a replay of the bundled examples (the summary line left out). */
    static List<JsonNode> jsonFindings(String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("replay", "--format", "json", "examples/"));
        args.addAll(List.of(extra));
        List<JsonNode> l = run(args.toArray(String[]::new)).lines();
        return l.subList(0, l.size() - 1);
    }
}
