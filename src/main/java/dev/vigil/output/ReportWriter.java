package dev.vigil.output;

import dev.vigil.core.finding.Finding;

/** Writes findings as they come and the summary at the end. */
public interface ReportWriter {
    void finding(Finding f);

    void summary(RunSummary s);
}
