package dev.vigil.core.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The explicit list of detector types known to this build. Nothing registers itself. */
public final class DetectorRegistry {
    private final Map<String, DetectorType> types = new LinkedHashMap<>();

    public DetectorRegistry(List<DetectorType> list) {
        for (DetectorType t : list) {
            if (types.put(t.name(), t) != null) throw new IllegalArgumentException("duplicate detector " + t.name());
        }
    }

    public Optional<DetectorType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    public List<DetectorType> all() {
        return List.copyOf(types.values());
    }

    public List<String> names() {
        return List.copyOf(types.keySet());
    }
}
