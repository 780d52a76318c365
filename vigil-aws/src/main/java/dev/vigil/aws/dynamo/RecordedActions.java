package dev.vigil.aws.dynamo;

import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.response.ActionLedger.Claim;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The actions the Lambda functions recorded in the deployment's table, for {@code vigil actions} and {@code vigil
 * undo}: each is an action of a stored finding, named {@code <finding id>.<n>} (n from 1, in the finding's order).
 * An undo is a ledger claim of {@code undo:<action id>} in the same table: claimed before EC2 is called, so two
 * operators undoing one action at once reverse it once; completed with the undo's status, or released when it failed
 * so that it can be tried again.
 */
public final class RecordedActions {
    /** Where an action's undo stands: null when never undone. */
    public record Action(String id, Finding finding, int seq, ActionResult result, Claim undo) {
        public boolean undone() {
            return undo != null && (undo.status().equals(ActionStatus.APPLIED.label()) || undo.status().equals(ActionStatus.ALREADY_APPLIED.label()));
        }
    }

    private final DynamoStore store;

    public RecordedActions(DynamoStore store) {
        this.store = store;
    }

    public String table() {
        return store.name();
    }

    /** The actions of the newest findings, newest finding first, at most {@code limit}. */
    public List<Action> newest(int limit) {
        List<Action> out = new ArrayList<>();
        for (Finding f : store.recent(Math.max(1, limit))) {
            List<ActionResult> as = f.actions();
            for (int i = 0; i < as.size() && out.size() < limit; i++) out.add(action(f, i + 1));
            if (out.size() >= limit) break;
        }
        return out;
    }

    /** The action with this id ({@code <finding id>.<n>}), if the table holds it. */
    public Optional<Action> find(String id) {
        int dot = id.lastIndexOf('.');
        if (dot <= 0) return Optional.empty();
        int seq;
        try {
            seq = Integer.parseInt(id.substring(dot + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        String findingId = id.substring(0, dot);
        if (!findingId.matches("[0-9a-f]{1,64}")) return Optional.empty();
        return store.find(findingId).filter(f -> seq >= 1 && seq <= f.actions().size()).map(f -> action(f, seq));
    }

    /** Claims the undo of an action: empty when this caller may go ahead, else the record of the undo already made or in progress. */
    public Optional<Claim> claimUndo(Action a, Instant now) {
        return store.claim(undoKey(a.id()), a.finding().policy(), "undo " + a.result().type(), now);
    }

    /**
     * Records the undo's outcome: kept when it reversed the action (and the action's claim released: undo re-arms),
     * released (to try again) when it failed.
     */
    public void undone(Action a, ActionResult undo) {
        if (undo.status() == ActionStatus.APPLIED || undo.status() == ActionStatus.ALREADY_APPLIED) {
            store.complete(undoKey(a.id()), undo.status().label());
            // undo re-arms: the action's own claim is released, so the next incident on the resource acts again
            if (a.result().idempotencyKey() != null) store.rearm(a.result().idempotencyKey());
        } else {
            store.release(undoKey(a.id()));
        }
    }

    private Action action(Finding f, int seq) {
        String id = f.id() + "." + seq;
        return new Action(id, f, seq, f.actions().get(seq - 1), store.claimOf(undoKey(id)).orElse(null));
    }

    static String undoKey(String actionId) {
        return "undo:" + actionId;
    }
}
