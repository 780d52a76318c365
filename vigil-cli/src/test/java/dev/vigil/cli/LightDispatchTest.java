package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * A command line naming a command first is parsed by a root holding that command alone ({@link Main#ALONE}): it must
 * answer exactly as the whole tree does, in its usage, its errors and their exit codes, for every command and its own
 * subcommands.
 */
class LightDispatchTest {
    static final Surroundings PIPE = new Surroundings(Map.<String, String>of()::get, false);
    /** The commands that read the whole tree (completion, the man pages, help): always given it. */
    static final Set<Class<?>> WHOLE_TREE = Set.of(CompletionCommand.class, ManCommand.class,
            picocli.codegen.docgen.manpage.ManPageGenerator.class, CommandLine.HelpCommand.class);

    @Test
    void theMapHoldsEveryCommandButThoseThatReadTheTreeByItsOwnName() {
        Map<String, Class<?>> expected = new TreeMap<>();
        for (Class<?> c : Main.class.getAnnotation(Command.class).subcommands()) {
            if (!WHOLE_TREE.contains(c)) expected.put(c.getAnnotation(Command.class).name(), c);
        }
        assertThat(new TreeMap<>(Main.ALONE)).isEqualTo(expected);
        for (String name : Main.ALONE.keySet()) {
            assertThat(Main.commandLine(PIPE, name).getSubcommands()).as(name).containsOnlyKeys(name);
        }
        assertThat(Main.commandLine(PIPE, "completion").getSubcommands()).hasSize(Main.class.getAnnotation(Command.class).subcommands().length);
        assertThat(Main.commandLine(PIPE).getSubcommands()).hasSize(Main.class.getAnnotation(Command.class).subcommands().length);
    }

    record Answer(int code, String out, String err) {}

    static Answer answer(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> 2);
        int code = cl.execute(args);
        return new Answer(code, out.toString(), err.toString());
    }

    @Test
    void everyCommandAnswersItsUsageAndItsErrorsAsTheWholeTreeDoes() {
        List<List<String>> lines = new ArrayList<>();
        for (String name : Main.ALONE.keySet()) {
            CommandLine whole = new CommandLine(Main.commandLine(PIPE).getSubcommands().get(name).getCommandSpec().userObject().getClass());
            List<String> subs = new ArrayList<>(List.of(""));
            subs.addAll(whole.getSubcommands().keySet());
            for (String sub : subs) {
                List<String> base = sub.isEmpty() ? List.of(name) : List.of(name, sub);
                for (String[] tail : new String[][] {{"--help"}, {"-h"}, {"--no-such-option"}, {"--version"}, {"a", "b", "--format", "nonsense"}}) {
                    List<String> args = new ArrayList<>(base);
                    args.addAll(Arrays.asList(tail));
                    lines.add(args);
                }
            }
        }
        assertThat(lines).hasSizeGreaterThan(50);
        for (List<String> args : lines) {
            String[] a = args.toArray(String[]::new);
            if (args.contains("a")) { // parsed only, never run: the same arguments bound, or the same error
                assertThat(parse(Main.commandLine(PIPE, a), a)).as(String.join(" ", args)).isEqualTo(parse(Main.commandLine(PIPE), a));
                continue;
            }
            assertThat(answer(Main.commandLine(PIPE, a), a)).as(String.join(" ", args)).isEqualTo(answer(Main.commandLine(PIPE), a));
        }
    }

    /** What parsing {@code args} gives: the commands matched with their matched options and positionals, or the error. */
    static String parse(CommandLine cl, String... args) {
        try {
            StringBuilder b = new StringBuilder();
            for (CommandLine.ParseResult at = cl.parseArgs(args); at != null; at = at.subcommand()) {
                CommandLine.ParseResult r = at;
                b.append(r.commandSpec().qualifiedName()).append(' ');
                r.matchedOptions().forEach(o -> b.append(o.longestName()).append('=').append(String.valueOf((Object) o.getValue())).append(' '));
                r.matchedPositionals().forEach(p -> b.append(p.paramLabel()).append('=').append(String.valueOf((Object) p.getValue())).append(' '));
            }
            return b.toString();
        } catch (CommandLine.ParameterException e) {
            return "error: " + e.getMessage();
        }
    }
}
