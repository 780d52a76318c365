package dev.vigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.store.ActionRecord;
import dev.vigil.store.SqliteStore;
import dev.vigil.store.StoreException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "actions", mixinStandardHelpOptions = true,
        description = "List the recorded actions, newest first: what was done, its status, and whether it can be undone (vigil undo ID).")
final class ActionsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    StoreOptions store;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json", description = "Output format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--limit", defaultValue = "50", paramLabel = "N", description = "At most N actions (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        String missing = store.missing();
        if (missing != null) {
            System.err.println("vigil: " + missing);
            return 2;
        }
        try (SqliteStore s = SqliteStore.open(store.store, Clock.systemUTC())) {
            for (ActionRecord a : s.actions(Math.max(1, limit))) {
                if ("json".equals(format)) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("id", a.id());
                    o.put("finding", a.findingId());
                    o.put("type", a.type());
                    o.put("target", a.target());
                    o.put("status", a.status());
                    o.put("detail", a.detail());
                    o.put("at", a.at().toString());
                    o.put("account", a.account());
                    o.put("region", a.region());
                    o.put("params", a.params());
                    o.put("undo", a.undo());
                    o.put("undoes", a.undoes());
                    o.put("undone_by", a.undoneBy());
                    out.println(JSON.writeValueAsString(o));
                } else {
                    String undo = a.undoneBy() != null ? "undone by " + a.undoneBy() : UndoCommand.undoable(a) == null ? "undoable" : "-";
                    out.println(a.id() + "  " + a.at() + "  " + a.type() + "  " + a.target() + "  " + a.status() + "  " + undo + "  "
                            + a.detail().replace('\n', ' '));
                }
            }
            return 0;
        } catch (StoreException e) {
            System.err.println("vigil: " + e.getMessage());
            return 2;
        }
    }
}
