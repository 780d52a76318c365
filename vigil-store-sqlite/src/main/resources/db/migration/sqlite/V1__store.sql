-- vigil's embedded store. Times are epoch milliseconds (UTC). Every write is idempotent, so that a message
-- processed again after a crash changes nothing that was already recorded.

-- events already handled (dedupe of redelivered messages), forgotten after a retention
CREATE TABLE processed_events (
    event_key  TEXT PRIMARY KEY,
    event_time INTEGER NOT NULL,
    seen_at    INTEGER NOT NULL
);
CREATE INDEX processed_events_seen ON processed_events (seen_at);

-- findings as reported, keyed by Finding.id() (stable for the same policy, rule, resource, time and events)
CREATE TABLE findings (
    id        TEXT PRIMARY KEY,
    time      INTEGER NOT NULL,
    policy    TEXT NOT NULL,
    rule      TEXT NOT NULL,
    severity  TEXT NOT NULL,
    account   TEXT,
    region    TEXT,
    resource  TEXT,
    json      TEXT NOT NULL,
    stored_at INTEGER NOT NULL
);
CREATE INDEX findings_time ON findings (time);

-- every action taken or held, with what it changed and how to undo it
CREATE TABLE actions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    finding_id TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    type       TEXT NOT NULL,
    target     TEXT NOT NULL,
    status     TEXT NOT NULL,
    detail     TEXT NOT NULL,
    idem_key   TEXT,
    params     TEXT NOT NULL,
    undo       TEXT NOT NULL,
    account    TEXT,
    region     TEXT,
    disruptive INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    undoes     INTEGER REFERENCES actions (id),
    undone_by  INTEGER REFERENCES actions (id),
    UNIQUE (finding_id, seq)
);
CREATE INDEX actions_at ON actions (at);

-- idempotency claims: the first claim of a key acts; in-progress claims found at start are marked interrupted
CREATE TABLE ledger (
    idem_key TEXT PRIMARY KEY,
    policy   TEXT NOT NULL,
    rule     TEXT NOT NULL,
    at       INTEGER NOT NULL,
    status   TEXT NOT NULL,
    updated  INTEGER NOT NULL
);

-- durable timers; seq tells a timer set again apart from the one that is firing
CREATE TABLE timers (
    owner TEXT NOT NULL,
    key   TEXT NOT NULL,
    due   INTEGER NOT NULL,
    data  TEXT NOT NULL,
    seq   INTEGER NOT NULL,
    PRIMARY KEY (owner, key)
);
CREATE INDEX timers_due ON timers (due);

-- notifications that failed, to be retried (targets that succeeded are never sent again: see the ledger)
CREATE TABLE deliveries (
    finding_id TEXT NOT NULL,
    target     TEXT NOT NULL,
    attempts   INTEGER NOT NULL,
    next_at    INTEGER NOT NULL,
    last_error TEXT NOT NULL,
    PRIMARY KEY (finding_id, target)
);

-- queue messages that held no readable event: kept whole, so deleting them from the queue loses nothing
CREATE TABLE rejected_messages (
    message_id TEXT PRIMARY KEY,
    source     TEXT NOT NULL,
    body       TEXT NOT NULL,
    error      TEXT NOT NULL,
    at         INTEGER NOT NULL
);
