package dev.vigil.output;

import dev.vigil.core.finding.Finding;

/** Writes findings as they come and the summary at the end. */
public interface ReportWriter {
    void finding(Finding f);

    void summary(RunSummary s);

    /** Writes to both, in order (the output format and the HTML report). */
    static ReportWriter both(ReportWriter first, ReportWriter second) {
        return new ReportWriter() {
            @Override
            public void finding(Finding f) {
                first.finding(f);
                second.finding(f);
            }

            @Override
            public void summary(RunSummary s) {
                first.summary(s);
                second.summary(s);
            }
        };
    }
}
