package dev.vigil.cli;

import dev.vigil.aws.dynamo.DynamoStoreException;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.Finding;
import dev.vigil.output.FindingJson;
import dev.vigil.store.SqliteStore;
import dev.vigil.store.StoreException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "findings", mixinStandardHelpOptions = true, description = "List the recorded findings, newest first: the daemon's (--store) or the Lambda deployment's (--table, --stack).")
final class FindingsCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Mixin
    AwsOptions aws;

    @Mixin
    TerminalOptions terminalOptions;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json", description = "Output format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--limit", defaultValue = "50", paramLabel = "N", description = "At most N findings (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        Terminal terminal = terminalOptions.terminal();
        String missing = store.missing();
        if (missing != null) {
            System.err.println("vigil: " + missing);
            return 2;
        }
        List<Finding> fs;
        if (store.deployment()) {
            try (DeploymentTable t = DeploymentTable.open(store, aws)) {
                fs = t.store.recent(Math.max(1, limit));
            } catch (DynamoStoreException | IllegalArgumentException e) {
                System.err.println("vigil: " + e.getMessage());
                return 2;
            }
        } else {
            try (SqliteStore s = SqliteStore.openReadOnly(store.store, Clock.systemUTC())) { // reading: no migration, no write, claims left to the daemon
                fs = s.recent(Math.max(1, limit));
            } catch (StoreException e) {
                System.err.println("vigil: " + e.getMessage());
                return 2;
            }
        }
        print(out, fs, terminal);
        return 0;
    }

    /** The text list's columns; each finding's actions are indented below it. */
    static final String[] HEADER = {"TIME", "ID", "SEVERITY", "RULE", "RESOURCE", "SUMMARY"};

    private void print(PrintStream out, List<Finding> fs, Terminal terminal) {
        if ("json".equals(format)) {
            for (Finding f : fs) {
                var o = FindingJson.of(f);
                o.put("id", f.id());
                out.println(JsonColour.of(terminal, o.toString()));
            }
            return;
        }
        if (fs.isEmpty()) {
            out.println("No findings recorded.");
            return;
        }
        Columns table = new Columns(HEADER).keep(0, 1, 2).style(2, FindingsCommand::severityColour);
        for (Finding f : fs) {
            List<String> actions = f.actions().stream()
                    .map(a -> a.type() + " " + a.target() + ": " + a.status().label() + " (" + a.detail() + ")").toList();
            table.row(List.of(f.time().toString(), f.id(), f.severity().label(), f.rule(), f.resource() == null ? "-" : f.resource(), f.summary()),
                    actions);
        }
        table.print(out, terminal);
    }

    /** The severity's colour, as the replay table's. */
    static String severityColour(String severity) {
        return switch (severity) {
            case "critical" -> Terminal.BOLD + ";" + Terminal.RED;
            case "high" -> Terminal.RED;
            case "medium" -> Terminal.YELLOW;
            case "low" -> Terminal.CYAN;
            default -> Terminal.DIM;
        };
    }
}
