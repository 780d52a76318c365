package dev.vigil.core.response;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The ledger for replay and tests. */
public final class InMemoryActionLedger implements ActionLedger {
    private final Map<String, Claim> claims = new HashMap<>();
    private final Map<String, Map<String, Object>> kept = new HashMap<>();

    @Override
    public synchronized Optional<Claim> claim(String key, String policy, String rule, Instant at, Map<String, Object> undo) {
        Optional<Claim> c = claim(key, policy, rule, at);
        if (c.isEmpty() && undo != null && !undo.isEmpty()) kept.put(key, Map.copyOf(undo));
        return c;
    }

    @Override
    public synchronized Map<String, Object> kept(String key) {
        return kept.getOrDefault(key, Map.of());
    }

    @Override
    public synchronized Optional<Claim> claim(String key, String policy, String rule, Instant at) {
        Claim existing = claims.get(key);
        if (existing != null) return Optional.of(existing);
        claims.put(key, new Claim(key, policy, rule, at, "in-progress"));
        return Optional.empty();
    }

    @Override
    public synchronized void complete(String key, String status) {
        Claim c = claims.get(key);
        if (c != null) claims.put(key, new Claim(key, c.policy(), c.findingRule(), c.at(), status));
    }

    @Override
    public synchronized void release(String key) {
        claims.remove(key);
        kept.remove(key);
    }
}
