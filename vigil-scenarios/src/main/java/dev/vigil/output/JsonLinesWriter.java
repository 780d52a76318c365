package dev.vigil.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.finding.Finding;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code --format json}: one finding object per line, then {@code {"summary":{...}}}. One generator writes every
 * finding (a replay may write a million), the same text as {@link FindingJson#text} plus the line separator
 * {@code println} would write; text the encoder cannot encode (a lone surrogate) becomes {@code ?} as in a PrintStream.
 */
public final class JsonLinesWriter implements ReportWriter {
    private static final String NL = System.lineSeparator();
    private final PrintStream out;
    private final OutputStreamWriter chars;
    private final JsonGenerator g;
    private final boolean flushEach;

    /** Each finding handed to {@code out} as it is written (the daemon's findings, as they happen). */
    public JsonLinesWriter(PrintStream out) {
        this(out, true);
    }

    /** Findings held in the writer's buffers until it is full or the summary is written (replay's). */
    public static JsonLinesWriter buffered(PrintStream out) {
        return new JsonLinesWriter(out, false);
    }

    private JsonLinesWriter(PrintStream out, boolean flushEach) {
        this.out = out;
        this.flushEach = flushEach;
        this.chars = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        try {
            this.g = FindingJson.JSON.getFactory().createGenerator(chars)
                    .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                    .disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
            g.setRootValueSeparator(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void finding(Finding f) {
        try {
            FindingJson.write(g, f);
            g.writeRaw(NL);
            if (flushEach) flushFindings();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void summary(RunSummary s) {
        flushFindings();
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

    /** What the generator and the encoder hold, into {@code out}. */
    private void flushFindings() {
        try {
            g.flush();
            chars.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(ObjectNode node) {
        try {
            out.println(FindingJson.JSON.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
