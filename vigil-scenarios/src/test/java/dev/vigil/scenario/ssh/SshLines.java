package dev.vigil.scenario.ssh;

import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.Origin;
import dev.vigil.core.event.SshLogLine;
import java.time.Instant;

/** Builds sshd log-line events for tests, with unique ids and a clock that advances by the given seconds. */
final class SshLines {
    private final String instance;
    private final String host;
    private Instant clock;
    private long n;

    SshLines(String instance, String host, String start) {
        this.instance = instance;
        this.host = host;
        this.clock = Instant.parse(start);
    }

    SshLogLine at(long plusSeconds, long pid, String message) {
        clock = clock.plusSeconds(plusSeconds);
        return line("sshd", pid, message);
    }

    SshLogLine line(String program, long pid, String message) {
        n++;
        return new SshLogLine("test.log:" + n, clock, null, null, Origin.line("test.log", n), instance == null ? null : InstanceId.of(instance),
                host, program, pid, message, false);
    }

    Instant now() {
        return clock;
    }
}
