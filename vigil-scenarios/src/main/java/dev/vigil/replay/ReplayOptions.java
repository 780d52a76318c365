package dev.vigil.replay;

import dev.vigil.core.finding.Severity;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** What {@code vigil replay} was asked to do. */
public record ReplayOptions(Path policy, List<Path> inventory, List<Path> inputs, Instant until, Severity failOn, boolean strict,
                            Integer year, dev.vigil.core.event.InstanceId instance, dev.vigil.decode.DecodeOptions.Limits limits) {
    public ReplayOptions {
        inventory = List.copyOf(inventory);
        inputs = List.copyOf(inputs);
        if (limits == null) limits = dev.vigil.decode.DecodeOptions.Limits.DEFAULTS;
    }

    public ReplayOptions(Path policy, List<Path> inventory, List<Path> inputs, Instant until, Severity failOn, boolean strict, Integer year,
                         dev.vigil.core.event.InstanceId instance) {
        this(policy, inventory, inputs, until, failOn, strict, year, instance, null);
    }
}
