package dev.vigil.cli;

import dev.vigil.core.event.SecurityEvent;
import dev.vigil.decode.DecodeListener;
import dev.vigil.decode.DecodeOptions;
import dev.vigil.decode.InputDecoder;
import dev.vigil.output.EventJson;
import dev.vigil.replay.InputFiles;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "events", mixinStandardHelpOptions = true,
        description = "Print the normalized events of the inputs, one JSON object per line (for debugging and jq).")
final class EventsCommand implements Callable<Integer> {
    @Option(names = "--strict", description = "Exit 2 when any input could not be read or decoded.")
    boolean strict;

    @Option(names = "--year", paramLabel = "YYYY", description = "Year of syslog lines that carry none.")
    Integer year;

    @picocli.CommandLine.Mixin
    LimitOptions limitOptions = new LimitOptions();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Mixin
    TerminalOptions terminalOptions; // colour as jq -C; a JSON line is never wrapped, whatever the width

    @Parameters(paramLabel = "PATH", arity = "1..*")
    List<Path> paths;

    @Override
    public Integer call() {
        Terminal terminal = terminalOptions.terminal();
        PrintStream out = new PrintStream(new java.io.BufferedOutputStream(System.out, 1 << 16), false, java.nio.charset.StandardCharsets.UTF_8);
        Problems problems = new Problems(System.err, () -> out.flush());
        long[] errors = {0};
        InputFiles files = InputFiles.of(paths, (w, m) -> {
            errors[0]++;
            problems.accept(w, m);
        });
        InputDecoder decoder = new InputDecoder(new DecodeOptions(n -> true, year, java.time.ZoneOffset.UTC).withLimits(limitOptions.limits(spec.commandLine())));
        DecodeListener l = new DecodeListener() {
            @Override
            public void onEvent(SecurityEvent event) {
                com.fasterxml.jackson.databind.node.ObjectNode json = EventJson.of(event);
                if (event instanceof dev.vigil.core.event.SshLogLine line) sshView(json, line);
                out.println(JsonColour.of(terminal, json.toString()));
            }

            @Override
            public void onError(String where, String message) {
                errors[0]++;
                problems.accept(where, message);
            }
        };
        for (Path f : files.events()) decoder.decode(f, l);
        out.flush();
        return strict && errors[0] > 0 ? 2 : 0;
    }

    /** The SSH scenario's reading of the line: its kind and attributed source (docs/scenario-ssh.md). */
    private static void sshView(com.fasterxml.jackson.databind.node.ObjectNode json, dev.vigil.core.event.SshLogLine line) {
        dev.vigil.scenario.ssh.SshLineView v = dev.vigil.scenario.ssh.SshLineView.of(line);
        if (v == null) return;
        com.fasterxml.jackson.databind.node.ObjectNode o = json.putObject("ssh");
        o.put("kind", v.kind());
        o.put("detail", v.detail());
        o.put("source", v.source());
        if (v.user() != null) o.put("user", v.user());
        if (v.unattributable()) o.put("unattributable", true);
        if (v.count() != 1) o.put("count", v.count());
    }
}
