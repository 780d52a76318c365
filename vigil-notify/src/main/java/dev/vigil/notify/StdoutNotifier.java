package dev.vigil.notify;

import dev.vigil.core.policy.TargetDef;
import java.io.PrintStream;

/** Target type {@code stdout}: the plain-text message on a stream (one-line values, so lines cannot be forged). */
public final class StdoutNotifier implements Notifier {
    private final PrintStream out;
    private final MessageFormatter format = new MessageFormatter();

    public StdoutNotifier(PrintStream out) {
        this.out = out;
    }

    @Override
    public Delivery send(TargetDef target, Notice notice) {
        synchronized (out) {
            out.println("== " + format.emailSubject(notice));
            out.print(format.emailText(notice));
            out.flush();
        }
        return out.checkError() ? Delivery.failed("stdout: write failed", 1) : Delivery.sent("stdout: written", 1);
    }
}
