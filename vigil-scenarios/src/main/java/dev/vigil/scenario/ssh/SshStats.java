package dev.vigil.scenario.ssh;

import dev.vigil.scenario.ssh.auth.AuthKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counters of one {@code ssh-intrusion} detector, for the run's summary: lines seen, failures counted, and sshd
 * lines that no pattern classified (a rising count is how a new OpenSSH wording shows), with the first few of those.
 */
public final class SshStats {
    private static final int SAMPLES = 5;

    private final long[] byKind = new long[AuthKind.values().length];
    private final List<String> unclassifiedSamples = new ArrayList<>(SAMPLES);
    private long lines;
    private long failures;
    private long allowListed;
    private long repeatSuppressed;
    private long unattributable;

    void line(AuthKind kind, String message) {
        lines++;
        byKind[kind.ordinal()]++;
        if (kind == AuthKind.UNCLASSIFIED && unclassifiedSamples.size() < SAMPLES && message != null) {
            unclassifiedSamples.add(message.length() > 200 ? message.substring(0, 200) : message);
        }
    }

    /** A line whose shape names a source that could not be read unambiguously (never guessed). */
    void unattributable() {
        unattributable++;
    }

    /** Lines that name a source no single reading of which is possible (see AuthEvent#unattributable). */
    public long unattributableLines() {
        return unattributable;
    }

    void failures(int n) {
        failures += n;
    }

    private long pamOnly;

    /** Attempts only PAM's lines showed: sshd wrote no failure line of them on the connection. */
    void pamOnly(int n) {
        pamOnly += n;
    }

    public long pamOnlyFailures() {
        return pamOnly;
    }

    void allowListed() {
        allowListed++;
    }

    void repeatSuppressed() {
        repeatSuppressed++;
    }

    /** Findings not reported because the same rule already reported the instance within repeat-after (quarantine). */
    public long repeatsSuppressed() {
        return repeatSuppressed;
    }

    public long lines() {
        return lines;
    }

    /** Lines of ssh programs (or of no known program) that no pattern classified. */
    public long unclassified() {
        return byKind[AuthKind.UNCLASSIFIED.ordinal()];
    }

    public long failures() {
        return failures;
    }

    public long count(AuthKind kind) {
        return byKind[kind.ordinal()];
    }

    /** The first few unclassified messages, to see what changed. */
    public List<String> unclassifiedSamples() {
        return List.copyOf(unclassifiedSamples);
    }

    /** The counters for a run summary: {@code ssh_lines}, {@code ssh_failures}, {@code ssh_unclassified},
     * {@code ssh_unattributable} (always present). */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("ssh_lines", lines - count(AuthKind.NOT_SSH));
        m.put("ssh_failures", failures);
        m.put("ssh_unclassified", unclassified());
        m.put("ssh_unattributable", unattributable);
        if (pamOnly > 0) m.put("ssh_pam_only_failures", pamOnly);
        if (allowListed > 0) m.put("ssh_allow_listed_findings", allowListed);
        if (repeatSuppressed > 0) m.put("ssh_repeated_findings_suppressed", repeatSuppressed);
        return m;
    }
}
