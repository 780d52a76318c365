-- the undo known before an action's first attempt (a quarantine's groups to restore), kept with its claim so that an
-- attempt after an interruption never takes the isolation group it finds for the groups to restore (issue 16)
ALTER TABLE ledger ADD COLUMN undo TEXT;
