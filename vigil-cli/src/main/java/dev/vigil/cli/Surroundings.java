package dev.vigil.cli;

import java.util.function.Function;

/**
 * What the command line reads from where it runs, for the text output: the environment ({@code NO_COLOR}, {@code TERM},
 * {@code COLUMNS}) and whether standard output is a terminal. Passed to {@link TerminalOptions} by {@link Main}'s
 * picocli factory, so tests give their own instead of changing the process's.
 */
record Surroundings(Function<String, String> env, boolean stdoutTerminal) {
    /** This process's: its environment, and a terminal as the launcher (or the JVM's console) says. */
    static Surroundings system() {
        return new Surroundings(System::getenv, Main.terminal("stdout"));
    }
}
