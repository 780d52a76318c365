package dev.vigil.core.response;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Test-only fault injection at the steps of the use case, for the fault-injection suite ({@code FaultTableTest}): off
 * unless the JVM was started with {@code -Dvigil.test.fault=STEP:MODE[:MILLIS]}. Read once, from that system property
 * only: no input, policy, environment variable or option reaches it, so a message can never turn it on. The fault
 * happens at the first time the step is reached, once:
 * <ul>
 *   <li>{@code throw}: a {@link Injected} exception (the store, the ledger or the executor failing there);</li>
 *   <li>{@code hang}: the thread blocks for MILLIS (default 4,000) and then goes on (past the queue's visibility timeout);</li>
 *   <li>{@code kill}: the point is announced on stderr ({@code vigil-fault: STEP reached}) and the thread blocks for good,
 *       so that the test sends the process a real SIGKILL there.</li>
 * </ul>
 */
public final class FaultPoints {
    /** The steps, in the order the use case reaches them. */
    public enum Step {
        /** a message received, before its body is decoded */
        DECODE,
        /** an event decoded, before the engine evaluates it */
        EVALUATE,
        /** a rule's draft made, before the rails decide its responses */
        DECIDE,
        /** the ledger claim committed, before the AWS call */
        CLAIM,
        /** EC2 answered, before the ledger records the result */
        EXECUTE,
        /** the ledger completed, before the finding is recorded */
        RECORD,
        /** the notification target answered, before the ledger records it */
        NOTIFY,
        /** the finding recorded, before the event is marked processed */
        MARK,
        /** the batch committed, before its messages are deleted from the queue */
        DELETE
    }

    /** The exception a {@code throw} fault raises. */
    public static final class Injected extends RuntimeException {
        Injected(Step step) {
            super("injected fault at " + step.name().toLowerCase(Locale.ROOT));
        }
    }

    private record Armed(Step step, String mode, long millis) {}

    private static final Armed ARMED = parse(System.getProperty("vigil.test.fault"));
    private static final AtomicBoolean FIRED = new AtomicBoolean();

    private FaultPoints() {}

    private static Armed parse(String v) {
        if (v == null || v.isBlank()) return null;
        String[] p = v.split(":");
        Step s = Step.valueOf(p[0].trim().toUpperCase(Locale.ROOT));
        String mode = p.length > 1 ? p[1].trim().toLowerCase(Locale.ROOT) : "throw";
        if (!mode.equals("throw") && !mode.equals("hang") && !mode.equals("kill")) throw new IllegalArgumentException("vigil.test.fault mode: " + mode);
        return new Armed(s, mode, p.length > 2 ? Long.parseLong(p[2].trim()) : 4_000);
    }

    /** Whether any fault is armed in this JVM (never, unless the system property was given at start). */
    public static boolean armed() {
        return ARMED != null;
    }

    /** The step {@code s} is reached: the armed fault happens if it is this step's, the first time. */
    public static void at(Step s) {
        Armed a = ARMED;
        if (a == null || a.step() != s || !FIRED.compareAndSet(false, true)) return;
        String name = s.name().toLowerCase(Locale.ROOT);
        switch (a.mode()) {
            case "throw" -> {
                System.err.println("vigil-fault: " + name + " throws");
                throw new Injected(s);
            }
            case "hang" -> {
                System.err.println("vigil-fault: " + name + " hangs for " + a.millis() + " ms");
                block(a.millis());
            }
            default -> {
                System.err.println("vigil-fault: " + name + " reached");
                System.err.flush();
                block(Long.MAX_VALUE);
            }
        }
    }

    private static void block(long millis) {
        long end = millis == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < end) {
            try {
                Thread.sleep(millis == Long.MAX_VALUE ? 1000 : Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000L)));
            } catch (InterruptedException e) {
                if (millis == Long.MAX_VALUE) continue; // held until the SIGKILL
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
