package dev.vigil.core.policy;

import java.time.Duration;
import java.util.Map;

/**
 * The policy file's {@code live:} section: what only a live runtime (daemon, Lambda) uses.
 *
 * @param dryRun global dry-run: every response is checked (EC2 DryRun) and never carried out
 * @param maxDisruptive at most this many disruptive actions per account within {@code per}; beyond, held as skipped
 * @param per the blast-radius window
 * @param assumeRoles role ARN to assume in each other account (account id to ARN); events from an account not
 *     listed are acted on with the runtime's own credentials only when it is that account
 * @param notifyGroupWindow findings of one rule on one resource within this window are one notification
 * @param functionTimeout the deployed functions' timeout, from which {@code vigil deploy template} derives the queue's
 *     visibility timeout and the claim lease (whole seconds, 3 s to 15 min)
 */
public record LiveSettings(boolean dryRun, int maxDisruptive, Duration per, Map<String, String> assumeRoles,
                           Duration notifyGroupWindow, Duration functionTimeout) {
    public static final LiveSettings DEFAULTS = new LiveSettings(false, 10, Duration.ofHours(1), Map.of(), Duration.ofMinutes(15), Duration.ofSeconds(60));

    public LiveSettings(boolean dryRun, int maxDisruptive, Duration per, Map<String, String> assumeRoles, Duration notifyGroupWindow) {
        this(dryRun, maxDisruptive, per, assumeRoles, notifyGroupWindow, DEFAULTS.functionTimeout());
    }

    public LiveSettings {
        assumeRoles = Map.copyOf(assumeRoles);
    }

    static LiveSettings read(Params p) {
        boolean dry = p.bool("dry-run", DEFAULTS.dryRun());
        Params br = p.child("blast-radius");
        int max = br.integer("max-actions", DEFAULTS.maxDisruptive(), 0, 1_000_000);
        Duration per = br.duration("per", DEFAULTS.per());
        Map<String, String> roles = p.stringMap("assume-roles", Map.of());
        for (var e : roles.entrySet()) {
            if (!e.getKey().matches("\\d{12}")) throw p.error("assume-roles", "expected 12-digit account ids as keys, found '" + e.getKey() + "'");
            if (!e.getValue().startsWith("arn:aws")) throw p.error("assume-roles", "expected a role ARN for " + e.getKey() + ", found '" + e.getValue() + "'");
        }
        Duration window = p.duration("notify-group-window", DEFAULTS.notifyGroupWindow());
        Duration timeout = p.duration("function-timeout", DEFAULTS.functionTimeout());
        if (timeout.compareTo(Duration.ofSeconds(3)) < 0 || timeout.compareTo(Duration.ofMinutes(15)) > 0 || timeout.toMillisPart() != 0) {
            throw p.error("function-timeout", "expected whole seconds between 3s and 15m (Lambda's bounds), found " + timeout);
        }
        return new LiveSettings(dry, max, per, roles, window, timeout);
    }
}
