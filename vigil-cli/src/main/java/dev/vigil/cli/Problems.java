package dev.vigil.cli;

import java.io.PrintStream;
import java.util.function.BiConsumer;

/** One line per problem on stderr: {@code vigil: <where>: <what>}. Messages are kept to one line. */
final class Problems implements BiConsumer<String, String> {
    private final PrintStream err;
    private final Runnable beforePrint;

    Problems(PrintStream err, Runnable beforePrint) {
        this.err = err;
        this.beforePrint = beforePrint;
    }

    @Override
    public void accept(String where, String message) {
        beforePrint.run();
        String m = message == null ? "" : message.replace('\n', ' ').replace('\r', ' ');
        err.println("vigil: " + where + ": " + m);
    }
}
