package dev.vigil.core.policy;

import dev.vigil.core.finding.Severity;
import java.util.List;
import java.util.Map;

/**
 * A named notification target. Secrets (webhook URLs, passwords) are never in the file: settings ending in
 * {@code -env} name the environment variable that holds them.
 */
public record TargetDef(String name, String type, Severity minSeverity, Map<String, String> settings) {
    /** Known settings per target type; the first list is required. */
    public static final Map<String, List<List<String>>> SETTINGS = Map.of(
            "slack", List.of(List.of("webhook-url-env"), List.of("channel", "connect-timeout", "timeout")),
            "webhook", List.of(List.of("url-env"), List.of("header-name", "header-value-env", "connect-timeout", "timeout")),
            "sns", List.of(List.of("topic-arn"), List.of("region")),
            "email", List.of(List.of("to", "from", "smtp-host"), List.of("smtp-port", "username-env", "password-env", "starttls")),
            "stdout", List.of(List.of(), List.of()),
            "securityhub", List.of(List.of("account", "region"), List.of()));

    /** Per-target HTTP timeouts (slack, webhook): kept as ISO-8601 durations once checked. */
    public static final java.time.Duration MAX_CONNECT_TIMEOUT = java.time.Duration.ofSeconds(60);
    public static final java.time.Duration MAX_TIMEOUT = java.time.Duration.ofMinutes(10);

    public TargetDef {
        settings = Map.copyOf(settings);
    }
}
