package dev.vigil.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.finding.Finding;
import java.io.PrintStream;
import java.util.function.Function;

/**
 * {@code --format ocsf} and {@code --format asff}: one document per finding per line (NDJSON), nothing else on
 * stdout, so every line is a valid document for a data lake or {@code jq -s}; the run's summary goes to stderr.
 */
public final class DocumentLinesWriter implements ReportWriter {
    private final PrintStream out;
    private final PrintStream err;
    private final Function<Finding, ObjectNode> document;

    public DocumentLinesWriter(PrintStream out, PrintStream err, Function<Finding, ObjectNode> document) {
        this.out = out;
        this.err = err;
        this.document = document;
    }

    public static DocumentLinesWriter ocsf(PrintStream out, PrintStream err) {
        return new DocumentLinesWriter(out, err, OcsfFinding::of);
    }

    public static DocumentLinesWriter asff(PrintStream out, PrintStream err, AsffFinding.Context context) {
        return new DocumentLinesWriter(out, err, f -> AsffFinding.of(f, context));
    }

    @Override
    public void finding(Finding f) {
        try {
            out.println(FindingJson.JSON.writeValueAsString(document.apply(f)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void summary(RunSummary s) {
        out.flush();
        StringBuilder b = new StringBuilder("vigil: ");
        b.append(s.inputs()).append(" input(s), ").append(s.events()).append(" event(s), ").append(s.findings()).append(" finding(s), ")
                .append(s.errors()).append(" error(s)");
        err.println(b);
    }
}
