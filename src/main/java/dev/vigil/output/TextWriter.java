package dev.vigil.output;

import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.Severity;
import java.io.PrintStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** {@code --format text}: a readable table, coloured only on a terminal. */
public final class TextWriter implements ReportWriter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final String RESET = "\u001b[0m";

    private final PrintStream out;
    private final boolean colour;
    private boolean header;

    public TextWriter(PrintStream out, boolean colour) {
        this.out = out;
        this.colour = colour;
    }

    @Override
    public void finding(Finding f) {
        if (!header) {
            out.println(String.format("%-20s  %-8s  %-25s  %-21s  %s", "TIME", "SEVERITY", "RULE", "RESOURCE", "SUMMARY"));
            header = true;
        }
        String sev = String.format("%-8s", f.severity().label());
        if (colour) sev = colourOf(f.severity()) + sev + RESET;
        out.println(String.format("%-20s  %s  %-25s  %-21s  %s", TIME.format(f.time()), sev, f.rule(),
                f.resource() == null ? "-" : f.resource(), f.summary()));
        for (ActionResult a : f.actions()) {
            out.println(String.format("%-20s  %-8s  -> %s %s [%s] %s", "", "", a.type(), a.target(), a.status().label(), a.detail()));
        }
    }

    private static String colourOf(Severity s) {
        return switch (s) {
            case CRITICAL -> "\u001b[1;31m";
            case HIGH -> "\u001b[31m";
            case MEDIUM -> "\u001b[33m";
            case LOW -> "\u001b[36m";
            case INFO -> "\u001b[2m";
        };
    }

    @Override
    public void summary(RunSummary s) {
        if (!header) out.println("No findings.");
        StringBuilder b = new StringBuilder();
        b.append(String.format("%n%d input(s), %d event(s), %d finding(s), %d error(s)", s.inputs(), s.events(), s.findings(), s.errors()));
        s.extra().forEach((k, v) -> b.append(", ").append(v).append(' ').append(k.replace('_', ' ')));
        out.println(b);
        out.flush();
    }
}
