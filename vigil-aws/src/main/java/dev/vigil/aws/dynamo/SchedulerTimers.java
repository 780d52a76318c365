package dev.vigil.aws.dynamo;

import dev.vigil.core.engine.InMemoryTimerStore;
import dev.vigil.core.engine.Timer;
import dev.vigil.core.engine.TimerStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ActionAfterCompletion;
import software.amazon.awssdk.services.scheduler.model.ConflictException;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.scheduler.model.Target;

/**
 * Timers as one-time EventBridge Scheduler schedules: {@code at(...)} in UTC, no flexible window, deleted by Scheduler
 * after firing, one per owner and key (named {@link #scheduleName}), targeting the timer Lambda with the timer as its
 * input ({@link TimerInput}).
 *
 * <p>The split: Scheduler pushes, the engine pulls. {@link #schedule}, {@link #cancel} and {@link #get} act on
 * Scheduler; a fired schedule invokes the timer handler, which hands the timer to {@link #deliver}; the engine then
 * takes it through {@link #takeNextDue}/{@link #nextDue}, which only ever see delivered timers (held in memory for the
 * invocation). A timer already due when scheduled is delivered at once rather than sent to Scheduler.
 */
public final class SchedulerTimers implements TimerStore {
    static final int MAX_NAME = 64;
    private static final Pattern ALLOWED = Pattern.compile("[0-9A-Za-z_.-]+");
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private final SchedulerClient scheduler;
    private final String group;
    private final String targetArn;
    private final String roleArn;
    private final Clock clock;
    private final InMemoryTimerStore delivered = new InMemoryTimerStore();

    /**
     * @param group the schedule group (made by the deployment template)
     * @param targetArn the timer Lambda's ARN
     * @param roleArn the role Scheduler assumes to invoke it
     */
    public SchedulerTimers(SchedulerClient scheduler, String group, String targetArn, String roleArn) {
        this(scheduler, group, targetArn, roleArn, Clock.systemUTC());
    }

    /** @param clock wall-clock time, to tell a timer already due (Scheduler fires on real time) */
    public SchedulerTimers(SchedulerClient scheduler, String group, String targetArn, String roleArn, Clock clock) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        if (group == null || group.length() > MAX_NAME || !ALLOWED.matcher(group).matches()) {
            throw new IllegalArgumentException("schedule group name must be 1-64 of [0-9A-Za-z_.-]: " + group);
        }
        if (targetArn == null || targetArn.isBlank()) throw new IllegalArgumentException("timer target ARN is empty");
        if (roleArn == null || roleArn.isBlank()) throw new IllegalArgumentException("scheduler role ARN is empty");
        this.group = group;
        this.targetArn = targetArn;
        this.roleArn = roleArn;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * {@code vigil-<owner>-<key>} when that is already a valid schedule name (at most 64 of {@code [0-9A-Za-z_.-]});
     * otherwise other characters become {@code _}, the name is cut to fit, and {@code -} plus 8 hex digits of
     * SHA-256(owner, key) are appended, so two timers whose names clean up alike still get different schedules.
     */
    public static String scheduleName(String owner, String key) {
        String raw = "vigil-" + owner + "-" + key;
        if (raw.length() <= MAX_NAME && ALLOWED.matcher(raw).matches()) return raw;
        String clean = raw.replaceAll("[^0-9A-Za-z_.-]", "_");
        String hash = hash(owner + "\u0000" + key);
        return clean.substring(0, Math.min(clean.length(), MAX_NAME - 9)) + "-" + hash;
    }

    /** {@code at(yyyy-MM-ddTHH:mm:ss)} in UTC, rounded up to the second so a timer never fires early. */
    static String atExpression(Instant due) {
        Instant up = due.getNano() == 0 ? due : due.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        return "at(" + AT.format(up) + ")";
    }

    @Override
    public void schedule(Timer timer) {
        String name = scheduleName(timer.owner(), timer.key());
        delivered.cancel(timer.owner(), timer.key()); // the new time replaces one already delivered and not yet taken
        if (!timer.due().isAfter(clock.instant())) {
            deleteSchedule(name);
            delivered.schedule(timer);
            return;
        }
        Target target = Target.builder().arn(targetArn).roleArn(roleArn).input(TimerInput.write(timer)).build();
        String expression = atExpression(timer.due());
        String description = cut("vigil timer " + timer.owner() + " " + timer.key(), 512);
        try {
            scheduler.createSchedule(b -> b.name(name).groupName(group).scheduleExpression(expression)
                    .scheduleExpressionTimezone("UTC").flexibleTimeWindow(w -> w.mode(FlexibleTimeWindowMode.OFF))
                    .actionAfterCompletion(ActionAfterCompletion.DELETE).description(description).target(target));
        } catch (ConflictException exists) {
            try {
                scheduler.updateSchedule(b -> b.name(name).groupName(group).scheduleExpression(expression)
                        .scheduleExpressionTimezone("UTC").flexibleTimeWindow(w -> w.mode(FlexibleTimeWindowMode.OFF))
                        .actionAfterCompletion(ActionAfterCompletion.DELETE).description(description).target(target));
            } catch (SdkException e) {
                throw failure("UpdateSchedule", name, e);
            }
        } catch (SdkException e) {
            throw failure("CreateSchedule", name, e);
        }
    }

    @Override
    public void cancel(String owner, String key) {
        delivered.cancel(owner, key);
        deleteSchedule(scheduleName(owner, key));
    }

    @Override
    public Optional<Timer> get(String owner, String key) {
        Optional<Timer> here = delivered.get(owner, key);
        if (here.isPresent()) return here;
        String name = scheduleName(owner, key);
        GetScheduleResponse r;
        try {
            r = scheduler.getSchedule(b -> b.name(name).groupName(group));
        } catch (ResourceNotFoundException gone) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("GetSchedule", name, e);
        }
        if (r.target() == null || r.target().input() == null) {
            throw new TimerScheduleException("schedule " + group + "/" + name + " has no target input: not a vigil timer", null);
        }
        Timer t;
        try {
            t = TimerInput.read(r.target().input());
        } catch (IllegalArgumentException e) {
            throw new TimerScheduleException("schedule " + group + "/" + name + ": " + e.getMessage(), e);
        }
        return t.owner().equals(owner) && t.key().equals(key) ? Optional.of(t) : Optional.empty();
    }

    /** Hands in a timer whose schedule fired (from the timer handler); the engine takes it with {@link #takeNextDue}. */
    public void deliver(Timer timer) {
        delivered.schedule(timer);
    }

    @Override
    public Optional<Timer> takeNextDue(Instant upTo) {
        return delivered.takeNextDue(upTo);
    }

    @Override
    public Optional<Instant> nextDue() {
        return delivered.nextDue();
    }

    private void deleteSchedule(String name) {
        try {
            scheduler.deleteSchedule(b -> b.name(name).groupName(group));
        } catch (ResourceNotFoundException gone) {
            // never set, fired already (Scheduler deleted it), or cancelled before
        } catch (SdkException e) {
            throw failure("DeleteSchedule", name, e);
        }
    }

    private TimerScheduleException failure(String call, String name, SdkException e) {
        String why = e instanceof AwsServiceException a && a.awsErrorDetails() != null
                ? a.awsErrorDetails().errorCode() + ": " + a.awsErrorDetails().errorMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        return new TimerScheduleException("scheduler " + call + " " + group + "/" + name + ": " + why, e);
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
