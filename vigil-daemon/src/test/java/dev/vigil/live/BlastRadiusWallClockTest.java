package dev.vigil.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.aws.Ec2Stub;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.store.StoreClock;
import dev.vigil.output.ReportWriter;
import dev.vigil.output.RunSummary;
import dev.vigil.policy.Policies;
import dev.vigil.testing.LocalSqs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's blast-radius test: old events (a 2024 backlog) replayed into the daemon with a limit of 3 disruptive
 * actions per hour give 3 revokes at EC2 and 7 responses held "approval needed", counted in the daemon's wall-clock
 * time; a restart on the same store keeps the count (the next ones are still held), and an hour later by the clock
 * the limit lets actions through again.
 */
public class BlastRadiusWallClockTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    LocalSqs sqs;
    Ec2Stub aws;
    final List<Finding> out = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    final StoreClock clock = new StoreClock(Instant.parse("2026-03-01T10:00:00Z"));

    @BeforeEach
    void start() {
        sqs = new LocalSqs();
        aws = Ec2Stub.start();
        aws.answer("RevokeSecurityGroupIngress", 200, Ec2Stub.corpus(Ec2Stub.LIBCLOUD + "revoke_security_group_ingress.xml"));
    }

    @AfterEach
    void stop() {
        aws.close();
        sqs.close();
    }

    LiveRuntime runtime(String queue, Path store) throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                live:
                  blast-radius: {max-actions: 3, per: 1h}
                policies:
                  - name: world
                    detector: sg-guard
                    responses:
                      sg-open-to-world: [revoke-world-open]
                """);
        ReportWriter w = new ReportWriter() {
            @Override
            public void finding(Finding f) {
                out.add(f);
            }

            @Override
            public void summary(RunSummary s) {}
        };
        return new LiveRuntime(Policies.load(policy), new LiveRuntime.Options(queue, List.of(), false, store, List.of(), aws.endpoint(),
                "eu-west-1", null, 0, false, true, 0, LocalSqs.CREDS, sqs.endpoint), clock, Map.<String, String>of()::get, w,
                (where, msg) -> problems.add(where + ": " + msg));
    }

    /** Groups opened to the world, one group each, in 2024 and 40 minutes apart in event time (a backlog). */
    public static List<String> worldOpen(int from, int to) throws Exception {
        List<String> bodies = new ArrayList<>();
        Instant t0 = Instant.parse("2024-05-01T00:00:00Z");
        for (int i = from; i < to; i++) {
            ObjectNode e = (ObjectNode) JSON.readTree(CrashEvents.worldOpen(i));
            String at = t0.plus(Duration.ofMinutes(40L * i)).toString();
            e.put("time", at);
            ((ObjectNode) e.get("detail")).put("eventTime", at);
            bodies.add(e.toString());
        }
        return bodies;
    }

    @Test
    void tenOldEventsWithALimitOfThreePerHourGiveThreeActionsAndSevenHeldAlsoAcrossARestart() throws Exception {
        String q = sqs.queue("blast", 30);
        Path store = dir.resolve("vigil.db");
        sqs.send(q, worldOpen(0, 10));
        try (LiveRuntime rt = runtime(q, store)) {
            rt.daemon().run();
        }
        assertThat(out).hasSize(10);
        assertThat(out).as("the events are old and spread over 6 hours of event time").extracting(Finding::time)
                .allSatisfy(t -> assertThat(t).isBetween(Instant.parse("2024-05-01T00:00:00Z"), Instant.parse("2024-05-01T06:00:00Z")))
                .contains(Instant.parse("2024-05-01T00:00:00Z"), Instant.parse("2024-05-01T06:00:00Z"));
        assertThat(revokes()).as("revokes that reached EC2").isEqualTo(3);
        assertThat(statuses(ActionStatus.APPLIED)).hasSize(3);
        assertThat(statuses(ActionStatus.SKIPPED)).hasSize(7).allSatisfy(a -> assertThat(a.detail())
                .startsWith("approval needed: blast-radius limit of 3 disruptive action(s) per hour"));

        // a restart (a new process on the same store) 10 minutes later: the count is the store's, not reset
        clock.advance(Duration.ofMinutes(10));
        out.clear();
        sqs.send(q, worldOpen(10, 15));
        try (LiveRuntime rt = runtime(q, store)) {
            rt.daemon().run();
        }
        assertThat(out).hasSize(5);
        assertThat(revokes()).as("no revoke after the restart within the hour").isEqualTo(3);
        assertThat(statuses(ActionStatus.SKIPPED)).hasSize(5).allSatisfy(a -> assertThat(a.detail()).startsWith("approval needed"));

        // an hour after the first actions by the wall clock (the events are as old as ever): 3 more
        clock.advance(Duration.ofMinutes(51));
        out.clear();
        sqs.send(q, worldOpen(15, 20));
        try (LiveRuntime rt = runtime(q, store)) {
            rt.daemon().run();
        }
        assertThat(revokes()).isEqualTo(6);
        assertThat(statuses(ActionStatus.APPLIED)).hasSize(3);
        assertThat(statuses(ActionStatus.SKIPPED)).hasSize(2);
        assertThat(sqs.remaining(q)).isZero();
    }

    private List<ActionResult> statuses(ActionStatus s) {
        return out.stream().flatMap(f -> f.actions().stream()).filter(a -> a.status() == s).toList();
    }

    private int revokes() {
        return (int) aws.sent().stream().filter(f -> "RevokeSecurityGroupIngress".equals(f.get("Action"))).count();
    }
}
