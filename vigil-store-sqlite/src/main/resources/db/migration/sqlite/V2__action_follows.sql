-- an action taken again after an undo re-armed its claim: the undone action it follows (issue 16: undo re-arms)
ALTER TABLE actions ADD COLUMN follows INTEGER REFERENCES actions (id);
CREATE INDEX actions_idem_key ON actions (idem_key);
