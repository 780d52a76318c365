package dev.vigil.output;

/** The counts printed at the end of a run; {@code extra} holds detector statistics (e.g. unclassified sshd lines). */
public record RunSummary(long inputs, long events, long findings, long errors, java.util.Map<String, Long> extra) {
    public RunSummary {
        extra = extra == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extra));
    }
}
