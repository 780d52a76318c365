package dev.vigil.core.event;

import java.time.Instant;
import java.util.List;

/**
 * One line from an sshd (or Dropbear, or auditd) log, read from a text file or a CloudWatch Logs subscription.
 *
 * @param instance the instance the log came from, when known (log stream name, --instance, or a host map)
 * @param host the host name the syslog prefix gives, or null
 * @param program the program name (sshd, sshd-session, dropbear, ...), or null when the line has no prefix
 * @param pid the process id from {@code program[pid]}, or -1
 * @param message the text after the prefix
 * @param id the CloudWatch log event id, or null for a text line (then {@link #id()} is its origin)
 * @param timeInferred true when the log had no usable timestamp and the time was taken another way
 * @param prepared what a detector made of the message ahead of time, on the thread that read it
 *     ({@link dev.vigil.core.engine.Detector#prepare}: the SSH classifier's reading), or null; not part of the line:
 *     {@link #equals} and {@link #hashCode} leave it out
 */
public record SshLogLine(
        String id,
        Instant time,
        AccountId account,
        Region region,
        Origin origin,
        InstanceId instance,
        String host,
        String program,
        long pid,
        String message,
        boolean timeInferred,
        Object prepared)
        implements SecurityEvent {

    /** A line as read, nothing prepared. */
    public SshLogLine(String id, Instant time, AccountId account, Region region, Origin origin, InstanceId instance, String host,
                      String program, long pid, String message, boolean timeInferred) {
        this(id, time, account, region, origin, instance, host, program, pid, message, timeInferred, null);
    }

    /** The log event's id (CloudWatch Logs), else "file:line", built only when asked (big logs have millions of lines). */
    @Override
    public String id() {
        return id != null ? id : origin.describe();
    }

    /** The same line attributed to an instance (replay's --instance). */
    public SshLogLine withInstance(InstanceId to) {
        return new SshLogLine(id, time, account, region, origin, to, host, program, pid, message, timeInferred, prepared);
    }

    /** The same line carrying {@code made}, what a detector made of its message ahead of time. */
    public SshLogLine withPrepared(Object made) {
        return new SshLogLine(id, time, account, region, origin, instance, host, program, pid, message, timeInferred, made);
    }

    /**
     * {@link #withPrepared(Object)}, the host being {@code lastHost} when that String is equal to it: a log names one host
     * line after line, and the consumer of the lines then compares its last host by identity, without reading the
     * characters of a String another thread made.
     */
    public SshLogLine withPrepared(Object made, String lastHost) {
        String h = host != null && host.equals(lastHost) ? lastHost : host;
        return new SshLogLine(id, time, account, region, origin, instance, h, program, pid, message, timeInferred, made);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SshLogLine l && pid == l.pid && timeInferred == l.timeInferred && java.util.Objects.equals(id, l.id)
                && java.util.Objects.equals(time, l.time) && java.util.Objects.equals(account, l.account)
                && java.util.Objects.equals(region, l.region) && java.util.Objects.equals(origin, l.origin)
                && java.util.Objects.equals(instance, l.instance) && java.util.Objects.equals(host, l.host)
                && java.util.Objects.equals(program, l.program) && java.util.Objects.equals(message, l.message);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(id, time, account, region, origin, instance, host, program, pid, message, timeInferred);
    }

    /** The same line from {@code at} in {@code in} where it names no instance or region (a tailed file's lines). */
    public SshLogLine placed(InstanceId at, Region in) {
        return new SshLogLine(id, time, account, region != null ? region : in, origin, instance != null ? instance : at, host, program, pid,
                message, timeInferred);
    }

    @Override
    public String kind() {
        return "ssh-log-line";
    }

    @Override
    public List<String> resourceIds() {
        return instance == null ? List.of() : List.of(instance.value());
    }
}
