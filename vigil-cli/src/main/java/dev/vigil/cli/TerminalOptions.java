package dev.vigil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --color} and {@code --width}: the one option mixin of every command that prints text for people (replay,
 * findings, actions, events, policy validate/detectors, test, undo, bench). {@link Main} makes it with the process's
 * {@link Surroundings}; a command asks it for its {@link Terminal}.
 */
final class TerminalOptions {
    @Option(names = "--color", paramLabel = "auto|always|never", defaultValue = "auto",
            description = "Colour the text output: auto (a terminal, unless NO_COLOR is set or TERM=dumb), always or never (default ${DEFAULT-VALUE}).")
    String color;

    @Option(names = "--width", paramLabel = "COLUMNS", description = "Width of the text output (default: $COLUMNS, else the terminal's, else no limit).")
    Integer width;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    private final Surroundings surroundings;

    TerminalOptions() {
        this(Surroundings.system());
    }

    TerminalOptions(Surroundings surroundings) {
        this.surroundings = surroundings;
    }

    /** The colour and width this command prints with; a usage error (exit 2) for a bad --color or --width. */
    Terminal terminal() {
        if (!java.util.List.of("auto", "always", "never").contains(color)) throw usage("--color must be auto, always or never, not '" + color + "'");
        if (width != null && width < 1) throw usage("--width must be a number of columns, not " + width);
        return new Terminal(Main.colour(color, surroundings.env(), surroundings.stdoutTerminal()), Main.width(width, surroundings.env()));
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(mixee.commandLine(), message);
    }
}
