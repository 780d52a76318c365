package dev.vigil.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.finding.Finding;
import java.io.PrintStream;

/** {@code --format json}: one finding object per line, then {@code {"summary":{...}}}. */
public final class JsonLinesWriter implements ReportWriter {
    private final PrintStream out;

    public JsonLinesWriter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void finding(Finding f) {
        out.println(FindingJson.text(f));
    }

    @Override
    public void summary(RunSummary s) {
        ObjectNode root = FindingJson.JSON.createObjectNode();
        ObjectNode o = root.putObject("summary");
        o.put("inputs", s.inputs());
        o.put("events", s.events());
        o.put("findings", s.findings());
        o.put("errors", s.errors());
        s.extra().forEach(o::put);
        write(root);
        out.flush();
    }

    private void write(ObjectNode node) {
        try {
            out.println(FindingJson.JSON.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
