package dev.vigil.store;

import dev.vigil.core.engine.Timer;
import dev.vigil.core.engine.TimerStore;
import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.response.ActionLedger;
import dev.vigil.core.store.FindingLog;
import dev.vigil.core.store.ProcessedEvents;
import dev.vigil.core.store.RuntimeStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;

/**
 * The daemon's embedded store: one SQLite file (WAL journal), migrated by Flyway. Every write is idempotent (findings
 * by id, claims by key, timers by owner and key) and writes are committed in order, so whatever prefix of them a crash
 * leaves, processing the message again reaches the same end: no finding lost, no response repeated. Writes are
 * grouped: a claim (and its completion) commits at once, before the AWS call it guards; the rest commits at
 * {@link #commit}, which the daemon calls before it deletes a batch from the queue. Synchronous mode NORMAL: a
 * committed write survives the process being killed (not a power cut: see docs). One process per file.
 */
public final class SqliteStore implements RuntimeStore, AutoCloseable {
    private final Connection db;
    private final Clock clock;
    private final Path file;
    private final Timers timers = new Timers();
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final int interruptedAtOpen;
    private final Checkpointer checkpointer;
    /** The newest migration in db/migration/sqlite (SqliteReadOnlyTest keeps it so): a reader finds a store at least this new. */
    static final int SCHEMA_VERSION = 4;

    private SqliteStore(Path file, Connection db, Clock clock, Checkpointer checkpointer, boolean owner) throws SQLException {
        this.file = file;
        this.db = db;
        this.clock = clock;
        this.checkpointer = checkpointer;
        if (owner) { // the owner only (not the reading commands, not read-only): mark what a crash cut short
            try (Statement st = db.createStatement()) {
                // a claim still in progress was cut short by a crash: what it did is not known until it is checked again
                interruptedAtOpen = st.executeUpdate("UPDATE ledger SET status = 'interrupted' WHERE status = 'in-progress'");
            }
        } else {
            interruptedAtOpen = 0;
        }
        db.setAutoCommit(false);
    }

    /**
     * Opens an existing store to read it ({@code vigil findings}, {@code actions}): no migration, no write, no checkpoint
     * thread; SQLite's read-only mode, beside a daemon that may be writing. A store of an older vigil than its readers
     * fails on its first query with a line that says so.
     */
    public static SqliteStore openReadOnly(Path file, Clock clock) {
        if (!Files.isRegularFile(file)) throw new StoreException("no store at " + file, null);
        try {
            org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
            config.setReadOnly(true);
            config.setBusyTimeout(5000);
            Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            int version;
            try (Statement st = c.createStatement();
                 var rs = st.executeQuery("SELECT MAX(CAST(version AS INTEGER)) FROM flyway_schema_history WHERE success = 1")) {
                version = rs.next() ? rs.getInt(1) : 0;
            } catch (SQLException noHistory) {
                version = 0;
            }
            if (version < SCHEMA_VERSION) { // a store of an older vigil: migrated once, beside the daemon, then read
                c.close();
                return openBeside(file, clock);
            }
            return new SqliteStore(file, c, clock, null, false);
        } catch (SQLException e) {
            throw new StoreException("cannot open store " + file + " to read: " + oneLine(e), e);
        }
    }

    /** Opens (creating and migrating as needed) the store at {@code file}, as the one daemon that owns it. */
    public static SqliteStore open(Path file, Clock clock) {
        return open(file, clock, true);
    }

    /**
     * Opens the store beside the daemon that may be running on it (the reading commands, {@code vigil undo}): claims
     * in progress are left as they are, since the daemon may be acting on them now.
     */
    public static SqliteStore openBeside(Path file, Clock clock) {
        return open(file, clock, false);
    }

    private static SqliteStore open(Path file, Clock clock, boolean owner) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            String url = "jdbc:sqlite:" + file.toAbsolutePath();
            Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/sqlite")
                    .loggers("slf4j").load().migrate();
            Connection c = DriverManager.getConnection(url);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("PRAGMA foreign_keys=ON");
                s.execute("PRAGMA wal_autocheckpoint=0"); // checkpoints (and their fsync) run on a thread of their own
            }
            return new SqliteStore(file, c, clock, Checkpointer.start(url, file), owner);
        } catch (SQLException | java.io.IOException | org.flywaydb.core.api.FlywayException e) {
            throw new StoreException("cannot open store " + file + ": " + oneLine(e), e);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public String name() {
        return file.toString();
    }

    /** Claims found in progress when the store was opened (a crash cut them short); now marked interrupted. */
    @Override
    public int interruptedAtOpen() {
        return interruptedAtOpen;
    }

    @Override
    public TimerStore timers() {
        return timers;
    }

    @Override
    public synchronized void commit() {
        try {
            db.commit();
        } catch (SQLException e) {
            throw fail(e);
        }
    }

    // ---- processed events

    @Override
    public synchronized boolean markFirst(String key, Instant eventTime) {
        return update("INSERT OR IGNORE INTO processed_events (event_key, event_time, seen_at) VALUES (?, ?, ?)",
                key, eventTime.toEpochMilli(), now()) == 1;
    }

    @Override
    public synchronized boolean isProcessed(String key) {
        return queryLong("SELECT COUNT(*) FROM processed_events WHERE event_key = ?", key) > 0;
    }

    /** Forgets processed events first seen before {@code cutoff}; returns how many. */
    @Override
    public synchronized int forgetProcessedBefore(Instant cutoff) {
        return update("DELETE FROM processed_events WHERE seen_at < ?", cutoff.toEpochMilli());
    }

    public synchronized long processedCount() {
        return queryLong("SELECT COUNT(*) FROM processed_events");
    }

    // ---- findings and actions

    @Override
    public synchronized void save(Finding f) {
        String id = f.id();
        int inserted = update("INSERT OR IGNORE INTO findings (id, time, policy, rule, severity, account, region, resource, json, stored_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", id, f.time().toEpochMilli(), f.policy(), f.rule(), f.severity().label(),
                f.account() == null ? null : f.account().value(), f.region() == null ? null : f.region().toString(), f.resource(),
                FindingCodec.write(f), now());
        if (inserted == 0) return; // made again from a redelivered message: the first record stands
        int seq = 0;
        for (ActionResult a : f.actions()) {
            update("INSERT OR IGNORE INTO actions (finding_id, seq, type, target, status, detail, idem_key, params, undo, account, region,"
                            + " disruptive, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", id, seq++, a.type(), a.target(),
                    a.status().label(), a.detail(), a.idempotencyKey(), FindingCodec.json(a.params()), FindingCodec.json(a.undo()),
                    f.account() == null ? null : f.account().value(), f.region() == null ? null : f.region().toString(),
                    disruptive(a) ? 1 : 0, now());
            if (a.idempotencyKey() != null && a.status() == ActionStatus.APPLIED) { // taken again after an undo re-armed it
                update("UPDATE actions SET follows = (SELECT MAX(p.id) FROM actions p WHERE p.idem_key = ? AND p.undone_by IS NOT NULL"
                        + " AND p.finding_id <> ?) WHERE finding_id = ? AND seq = ?", a.idempotencyKey(), id, id, seq - 1);
            }
            if ("notify".equals(a.type()) && a.status() == ActionStatus.FAILED) {
                update("INSERT OR IGNORE INTO deliveries (finding_id, target, attempts, next_at, last_error) VALUES (?, ?, 1, ?, ?)",
                        id, a.target(), now() + 30_000, a.detail());
            } else if ("notify".equals(a.type()) && a.status() == ActionStatus.QUEUED) { // first try at once, by the delivery worker
                update("INSERT OR IGNORE INTO deliveries (finding_id, target, attempts, next_at, last_error) VALUES (?, ?, 0, ?, ?)",
                        id, a.target(), now(), a.detail());
            }
        }
    }

    static boolean disruptive(ActionResult a) {
        return !"notify".equals(a.type()) && !"undo".equals(a.type());
    }

    @Override
    public synchronized List<Finding> recent(int limit) {
        List<Finding> out = new ArrayList<>();
        try (ResultSet rs = query("SELECT json FROM findings ORDER BY time DESC, stored_at DESC LIMIT ?", limit)) {
            while (rs.next()) out.add(FindingCodec.read(rs.getString(1)));
        } catch (SQLException e) {
            throw fail(e);
        }
        return out;
    }

    @Override
    public synchronized Optional<Finding> find(String findingId) {
        try (ResultSet rs = query("SELECT json FROM findings WHERE id = ?", findingId)) {
            return rs.next() ? Optional.of(FindingCodec.read(rs.getString(1))) : Optional.empty();
        } catch (SQLException e) {
            throw fail(e);
        }
    }

    /** The finding's record (its JSON and its rows in {@code actions}) now says what became of the notification. */
    @Override
    public synchronized void notifyOutcome(String findingId, String target, ActionStatus status, String detail) {
        Finding f = find(findingId).orElse(null);
        if (f == null) return;
        Finding updated = FindingLog.withNotifyOutcome(f, target, status, detail);
        if (updated.equals(f)) return;
        update("UPDATE findings SET json = ? WHERE id = ?", FindingCodec.write(updated), findingId);
        update("UPDATE actions SET status = ?, detail = ? WHERE finding_id = ? AND type = 'notify' AND target = ?",
                status.label(), detail, findingId, target);
    }

    public synchronized long findingCount() {
        return queryLong("SELECT COUNT(*) FROM findings");
    }

    /** The newest actions first, at most {@code limit}. */
    public synchronized List<ActionRecord> actions(int limit) {
        return actionsWhere("1 = 1 ORDER BY id DESC LIMIT ?", limit);
    }

    public synchronized Optional<ActionRecord> action(long id) {
        return actionsWhere("id = ?", id).stream().findFirst();
    }

    /** Applied disruptive actions since {@code from}, oldest first: what the blast-radius limit starts from. */
    public synchronized List<ActionRecord> disruptiveActionsSince(Instant from) {
        return actionsWhere("disruptive = 1 AND status = 'applied' AND at >= ? ORDER BY at", from.toEpochMilli());
    }

    @Override
    public synchronized List<AppliedAction> disruptiveAppliedSince(Instant from) {
        return disruptiveActionsSince(from).stream().map(a -> new AppliedAction(a.account(), a.at())).toList();
    }

    /** Records the undo of {@code original} and links the two; returns the undo action's id. */
    public synchronized long recordUndo(ActionRecord original, ActionResult undo) {
        update("INSERT INTO actions (finding_id, seq, type, target, status, detail, idem_key, params, undo, account, region, disruptive,"
                        + " at, undoes) VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM actions WHERE finding_id = ?), ?, ?, ?, ?, NULL, ?, ?, ?, ?, 0, ?, ?)",
                original.findingId(), original.findingId(), undo.type(), undo.target(), undo.status().label(), undo.detail(),
                FindingCodec.json(undo.params()), FindingCodec.json(undo.undo()), original.account(), original.region(), now(), original.id());
        long id = queryLong("SELECT last_insert_rowid()");
        if (undo.status() == ActionStatus.APPLIED || undo.status() == ActionStatus.ALREADY_APPLIED) {
            update("UPDATE actions SET undone_by = ? WHERE id = ?", id, original.id());
            // undo re-arms: the claim is released, so the next incident on the same resource acts again
            if (original.idempotencyKey() != null) update("DELETE FROM ledger WHERE idem_key = ? AND status <> 'in-progress'", original.idempotencyKey());
        }
        commit();
        return id;
    }

    private List<ActionRecord> actionsWhere(String where, Object... args) {
        List<ActionRecord> out = new ArrayList<>();
        try (ResultSet rs = query("SELECT id, finding_id, seq, type, target, status, detail, idem_key, params, undo, account, region,"
                + " disruptive, at, undoes, undone_by, follows FROM actions WHERE " + where, args)) {
            while (rs.next()) {
                out.add(new ActionRecord(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        rs.getString(7), rs.getString(8), FindingCodec.map(rs.getString(9)), FindingCodec.map(rs.getString(10)),
                        rs.getString(11), rs.getString(12), rs.getInt(13) == 1, Instant.ofEpochMilli(rs.getLong(14)),
                        nullableLong(rs, 15), nullableLong(rs, 16), nullableLong(rs, 17)));
            }
        } catch (SQLException e) {
            throw fail(e);
        }
        return out;
    }

    private static Long nullableLong(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    // ---- deliveries to retry

    @Override
    public synchronized List<PendingDelivery> dueDeliveries(Instant now, String target, int limit) {
        return deliveriesWhere("target = ? AND next_at <= ? ORDER BY next_at LIMIT ?", target, now.toEpochMilli(), limit);
    }

    @Override
    public synchronized List<PendingDelivery> dueDeliveriesExcept(Instant now, java.util.Set<String> except, int limit) {
        List<Object> args = new ArrayList<>(except);
        args.add(now.toEpochMilli());
        args.add(limit);
        String notIn = except.isEmpty() ? "" : "target NOT IN (" + String.join(", ", java.util.Collections.nCopies(except.size(), "?")) + ") AND ";
        return deliveriesWhere(notIn + "next_at <= ? ORDER BY next_at LIMIT ?", args.toArray());
    }

    private List<PendingDelivery> deliveriesWhere(String where, Object... args) {
        List<PendingDelivery> out = new ArrayList<>();
        try (ResultSet rs = query("SELECT finding_id, target, attempts, last_error FROM deliveries WHERE " + where, args)) {
            while (rs.next()) out.add(new PendingDelivery(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4)));
        } catch (SQLException e) {
            throw fail(e);
        }
        return out;
    }

    @Override
    public synchronized void deliveryFailed(PendingDelivery d, String error, Instant next) {
        update("UPDATE deliveries SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE finding_id = ? AND target = ?",
                next.toEpochMilli(), error, d.findingId(), d.target());
    }

    @Override
    public synchronized void deliveryDone(PendingDelivery d) {
        update("DELETE FROM deliveries WHERE finding_id = ? AND target = ?", d.findingId(), d.target());
    }

    public synchronized long pendingDeliveries() {
        return queryLong("SELECT COUNT(*) FROM deliveries");
    }

    // ---- rejected messages

    /** Keeps a queue message that held no readable event (first time only), so it can be deleted from the queue. */
    @Override
    public synchronized void reject(String messageId, String source, String body, String error) {
        update("INSERT OR IGNORE INTO rejected_messages (message_id, source, body, error, at) VALUES (?, ?, ?, ?, ?)",
                messageId, source, body, error, now());
    }

    public synchronized long rejectedCount() {
        return queryLong("SELECT COUNT(*) FROM rejected_messages");
    }

    // ---- ledger

    @Override
    public synchronized Optional<Claim> claim(String key, String policy, String rule, Instant at) {
        return claim(key, policy, rule, at, Map.of());
    }

    /** The undo known before the first attempt is kept with the claim, in the same row, durable before the call. */
    @Override
    public synchronized Optional<Claim> claim(String key, String policy, String rule, Instant at, Map<String, Object> undo) {
        return claim(key, policy, rule, at, undo, null);
    }

    /** With the attempt (plan, finding, triggering principal) in the same row, so that a start after a crash can look it up in the account. */
    @Override
    public synchronized Optional<Claim> claim(String key, String policy, String rule, Instant at, Map<String, Object> undo,
                                              Attempt a) {
        String kept = undo == null || undo.isEmpty() ? null : FindingCodec.json(undo);
        String attempt = a == null || a.plan() == null || a.finding() == null ? null : FindingCodec.attempt(a);
        Finding finding = a == null ? null : a.finding();
        if (update("INSERT OR IGNORE INTO ledger (idem_key, policy, rule, at, status, updated, undo, finding_id, attempt)"
                        + " VALUES (?, ?, ?, ?, 'in-progress', ?, ?, ?, ?)",
                key, policy, rule, at.toEpochMilli(), now(), kept, finding == null ? null : finding.id(), attempt) == 1) {
            commit(); // durable before the call it guards
            return Optional.empty();
        }
        return claimOf(key);
    }

    @Override
    public synchronized Map<String, Object> kept(String key) {
        try (ResultSet rs = query("SELECT undo FROM ledger WHERE idem_key = ?", key)) {
            return rs.next() ? FindingCodec.map(rs.getString(1)) : Map.of();
        } catch (SQLException e) {
            throw fail(e);
        }
    }

    public synchronized Optional<Claim> claimOf(String key) {
        try (ResultSet rs = query("SELECT policy, rule, at, status FROM ledger WHERE idem_key = ?", key)) {
            return rs.next() ? Optional.of(new Claim(key, rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4)))
                    : Optional.empty();
        } catch (SQLException e) {
            throw fail(e);
        }
    }

    @Override
    public synchronized void complete(String key, String status) {
        update("UPDATE ledger SET status = ?, updated = ? WHERE idem_key = ?", status, now(), key);
        commit();
    }

    /** The call's outcome and the finding it answered, in the claim's row, in the one commit that completes it. */
    @Override
    public synchronized void complete(String key, String status, Outcome outcome, String findingId) {
        String o = outcome == null ? null : FindingCodec.json(Map.of("status", outcome.status().label(), "detail",
                outcome.detail() == null ? "" : outcome.detail(), "undo", outcome.undo()));
        update("UPDATE ledger SET status = ?, updated = ?, outcome = ?, finding_id = COALESCE(?, finding_id) WHERE idem_key = ?",
                status, now(), o, findingId, key);
        commit();
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized Optional<Outcome> outcome(String key, String findingId) {
        if (findingId == null) return Optional.empty();
        try (ResultSet rs = query("SELECT outcome FROM ledger WHERE idem_key = ? AND finding_id = ? AND outcome IS NOT NULL"
                + " AND status NOT IN ('in-progress', 'interrupted')", key, findingId)) {
            if (!rs.next()) return Optional.empty();
            Map<String, Object> m = FindingCodec.map(rs.getString(1));
            Object undo = m.get("undo");
            return Optional.of(new Outcome(FindingCodec.status(String.valueOf(m.get("status"))), String.valueOf(m.get("detail")),
                    undo instanceof Map<?, ?> u ? (Map<String, Object>) u : Map.of()));
        } catch (SQLException e) {
            throw fail(e);
        }
    }

    @Override
    public synchronized List<Attempt> interruptedAttempts() {
        List<Attempt> out = new ArrayList<>();
        try (ResultSet rs = query("SELECT idem_key, attempt FROM ledger WHERE status = 'interrupted' AND attempt IS NOT NULL ORDER BY at, idem_key")) {
            while (rs.next()) out.add(FindingCodec.readAttempt(rs.getString(1), rs.getString(2)));
        } catch (SQLException e) {
            throw fail(e);
        }
        return out;
    }

    /** Takes over a claim a crash left interrupted, to act again (after the account showed its change is not in place). */
    @Override
    public synchronized boolean retake(String key) {
        int n = update("UPDATE ledger SET status = 'in-progress', updated = ? WHERE idem_key = ? AND status = 'interrupted'", now(), key);
        commit();
        return n == 1;
    }

    @Override
    public synchronized void release(String key) {
        update("DELETE FROM ledger WHERE idem_key = ?", key);
        commit();
    }

    /** Claims by status, e.g. {@code interrupted}. */
    public synchronized long claimsWithStatus(String status) {
        return queryLong("SELECT COUNT(*) FROM ledger WHERE status = ?", status);
    }

    // ---- timers

    /**
     * Durable timers. A timer handed out by {@link #takeNextDue} stays stored until {@link #fired} says its detector
     * is done with it (findings saved), so a crash while firing fires it again after the restart, and the findings it
     * makes again are recognised by id.
     */
    private final class Timers implements TimerStore {
        private long seq = -1;
        private final Map<String, Long> inFlight = new HashMap<>();

        @Override
        public void schedule(Timer t) {
            synchronized (SqliteStore.this) {
                update("INSERT OR REPLACE INTO timers (owner, key, due, data, seq) VALUES (?, ?, ?, ?, ?)", t.owner(), t.key(),
                        t.due().toEpochMilli(), FindingCodec.json(t.data()), nextSeq());
            }
        }

        private long nextSeq() {
            if (seq < 0) seq = queryLong("SELECT COALESCE(MAX(seq), 0) FROM timers");
            return ++seq;
        }

        @Override
        public void cancel(String owner, String key) {
            synchronized (SqliteStore.this) {
                update("DELETE FROM timers WHERE owner = ? AND key = ?", owner, key);
            }
        }

        @Override
        public Optional<Timer> get(String owner, String key) {
            synchronized (SqliteStore.this) {
                List<Row> rows = rows("owner = ? AND key = ?", owner, key);
                return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0).timer());
            }
        }

        @Override
        public Optional<Timer> takeNextDue(Instant upTo) {
            synchronized (SqliteStore.this) {
                for (Row r : rows("due <= ? ORDER BY due, owner, key LIMIT ?", upTo.toEpochMilli(), inFlight.size() + 1)) {
                    String k = r.timer().owner() + '\u0000' + r.timer().key();
                    if (inFlight.containsKey(k)) continue;
                    inFlight.put(k, r.seq());
                    return Optional.of(r.timer());
                }
                return Optional.empty();
            }
        }

        @Override
        public void fired(Timer t) {
            synchronized (SqliteStore.this) {
                Long s = inFlight.remove(t.owner() + '\u0000' + t.key());
                if (s != null) update("DELETE FROM timers WHERE owner = ? AND key = ? AND seq = ?", t.owner(), t.key(), s);
            }
        }

        @Override
        public Optional<Instant> nextDue() {
            synchronized (SqliteStore.this) {
                try (ResultSet rs = query("SELECT MIN(due) FROM timers")) {
                    rs.next();
                    long v = rs.getLong(1);
                    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
                } catch (SQLException e) {
                    throw fail(e);
                }
            }
        }

        private record Row(Timer timer, long seq) {}

        private List<Row> rows(String where, Object... args) {
            List<Row> out = new ArrayList<>();
            try (ResultSet rs = query("SELECT owner, key, due, data, seq FROM timers WHERE " + where, args)) {
                while (rs.next()) {
                    Map<String, String> data = new HashMap<>();
                    FindingCodec.map(rs.getString(4)).forEach((k, v) -> data.put(k, String.valueOf(v)));
                    out.add(new Row(new Timer(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), data), rs.getLong(5)));
                }
            } catch (SQLException e) {
                throw fail(e);
            }
            return out;
        }
    }

    public synchronized long timerCount() {
        return queryLong("SELECT COUNT(*) FROM timers");
    }

    // ---- plumbing

    private long now() {
        return clock.millis();
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = db.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    private int update(String sql, Object... args) {
        try {
            PreparedStatement ps = prepare(sql);
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw fail(e);
        }
    }

    private ResultSet query(String sql, Object... args) throws SQLException {
        PreparedStatement ps = prepare(sql);
        bind(ps, args);
        return ps.executeQuery();
    }

    private long queryLong(String sql, Object... args) {
        try (ResultSet rs = query(sql, args)) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw fail(e);
        }
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
    }

    private StoreException fail(SQLException e) {
        return new StoreException("store " + file + ": " + oneLine(e), e);
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse("");
    }

    @Override
    public synchronized void close() {
        if (checkpointer == null) { // read-only
            try {
                db.rollback();
            } catch (SQLException ignored) {
                // nothing was written
            }
            for (PreparedStatement ps : statements.values()) {
                try {
                    ps.close();
                } catch (SQLException ignored) {
                    // closing
                }
            }
            try {
                db.close();
            } catch (SQLException e) {
                throw fail(e);
            }
            return;
        }
        checkpointer.stop();
        try {
            db.commit();
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        } catch (SQLException e) {
            throw fail(e);
        }
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // closing: nothing to do
            }
        }
        try {
            db.close();
        } catch (SQLException e) {
            throw fail(e);
        }
    }

    /**
     * Copies the write-ahead log into the database file once a second, on its own connection and thread, so that no
     * commit on the processing thread pays for a checkpoint's writes and fsync (SQLite's automatic checkpoint would run
     * inside whichever commit crosses 1,000 pages). PASSIVE: never waits for or blocks the writer.
     */
    private static final class Checkpointer implements Runnable {
        private final String url;
        private final Path file;
        private volatile boolean running = true;
        private Thread thread;

        private Checkpointer(String url, Path file) {
            this.url = url;
            this.file = file;
        }

        static Checkpointer start(String url, Path file) {
            Checkpointer c = new Checkpointer(url, file);
            c.thread = new Thread(c, "vigil-store-checkpoint");
            c.thread.setDaemon(true);
            c.thread.start();
            return c;
        }

        @Override
        public void run() {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout=1000");
                while (running) {
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    try {
                        s.execute("PRAGMA wal_checkpoint(PASSIVE)");
                    } catch (SQLException e) {
                        // busy or locked: the next round copies what this one could not; the log only grows meanwhile
                    }
                }
            } catch (SQLException e) {
                System.err.println("vigil: store " + file + ": checkpoints stopped: " + oneLine(e));
            }
        }

        void stop() {
            running = false;
            thread.interrupt();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
