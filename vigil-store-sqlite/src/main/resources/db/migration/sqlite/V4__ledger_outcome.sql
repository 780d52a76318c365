-- issue 16: a claim keeps what its call gave (status, detail, undo) and the finding it answered, so that the finding
-- made again after a kill between the call's answer and the finding's record records the call's result, not
-- "already applied"; and the attempt (plan and finding) so that a claim a crash cut short is checked against the
-- account at the next start, before anything else
ALTER TABLE ledger ADD COLUMN finding_id TEXT;
ALTER TABLE ledger ADD COLUMN outcome TEXT;
ALTER TABLE ledger ADD COLUMN attempt TEXT;
