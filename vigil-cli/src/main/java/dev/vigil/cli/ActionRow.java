package dev.vigil.cli;

import dev.vigil.aws.dynamo.RecordedActions;
import dev.vigil.store.ActionRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One recorded action as {@code vigil actions} prints it, from either store: the daemon's SQLite store (numeric ids,
 * undos recorded as actions of their own) or the deployment's table (ids {@code <finding>.<n>}, an undo recorded in
 * the ledger).
 *
 * @param undoes the id of the action this one reversed, else null
 * @param undoneBy what reversed this one (an action id, or {@code undo:<id>}), else null
 * @param follows the undone action this one took again (undo re-arms), else null (not kept in the deployment's table)
 */
record ActionRow(Object id, String findingId, String type, String target, String status, String detail, String at, String account,
                 String region, Map<String, Object> params, Map<String, Object> undo, Object undoes, Object undoneBy, Object follows) {
    static ActionRow of(ActionRecord a) {
        return new ActionRow(a.id(), a.findingId(), a.type(), a.target(), a.status(), a.detail(), a.at().toString(), a.account(), a.region(),
                a.params(), a.undo(), a.undoes(), a.undoneBy(), a.follows());
    }

    static ActionRow of(RecordedActions.Action a) {
        var r = a.result();
        var f = a.finding();
        return new ActionRow(a.id(), f.id(), r.type(), r.target(), r.status().label(), r.detail(), f.time().toString(),
                f.account() == null ? null : f.account().value(), f.region() == null ? null : f.region().value(), r.params(), r.undo(), null,
                a.undone() ? "undo:" + a.id() : null, null);
    }

    /** Null when the action can be undone; otherwise why not. */
    String notUndoable() {
        if (undoneBy != null) return "action " + id + " was already undone" + (undoneBy instanceof Long ? " by action " + undoneBy : "");
        if (undoes != null) return "action " + id + " is itself an undo (of action " + undoes + ")";
        if (!status.equals("applied")) return "action " + id + " was " + status + ", not applied: nothing to undo";
        if (undo.isEmpty()) return "action " + id + " (" + type + ") recorded no way to undo it";
        return null;
    }

    /** The text list's header, the columns of {@link #cells()}. */
    static final String[] HEADER = {"ID", "TIME", "TYPE", "TARGET", "STATUS", "UNDO", "DETAIL"};

    java.util.List<String> cells() {
        String u = undoneBy != null ? "undone by " + undoneBy : notUndoable() == null ? "undoable" : "-";
        if (follows != null) u += " (again, after " + follows + " was undone)";
        return java.util.List.of(String.valueOf(id), at, type, String.valueOf(target), status, u, detail == null ? "" : detail);
    }

    Map<String, Object> json() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", id);
        o.put("finding", findingId);
        o.put("type", type);
        o.put("target", target);
        o.put("status", status);
        o.put("detail", detail);
        o.put("at", at);
        o.put("account", account);
        o.put("region", region);
        o.put("params", dev.vigil.output.LegacyNames.params(params)); // a record of the release before reads back in the new names
        o.put("undo", undo);
        o.put("undoes", undoes);
        o.put("undone_by", undoneBy);
        if (follows != null) o.put("follows", follows);
        return o;
    }
}
