package dev.vigil.store;

import java.time.Instant;
import java.util.Map;

/**
 * One recorded action: what was asked (params), what became of it, and how to reverse it.
 *
 * @param undoes the action this one reversed (for {@code undo} actions), else null
 * @param undoneBy the undo action that reversed this one, else null
 * @param follows the undone action this one took again (an undo re-arms its claim), else null
 */
public record ActionRecord(long id, String findingId, int seq, String type, String target, String status, String detail,
                           String idempotencyKey, Map<String, Object> params, Map<String, Object> undo, String account,
                           String region, boolean disruptive, Instant at, Long undoes, Long undoneBy, Long follows) {
    public ActionRecord {
        params = params == null ? Map.of() : params;
        undo = undo == null ? Map.of() : undo;
    }
}
