-- The indexed chain: one cursor per DAO, and every event row keyed by where it was logged,
-- so a reorg can delete exactly the rows above the common ancestor.
CREATE TABLE index_cursor (
  dao          TEXT    NOT NULL PRIMARY KEY,
  block        INTEGER NOT NULL,
  block_hash   TEXT    NOT NULL,
  updated_at   TEXT    NOT NULL
);

-- Hashes of the range ends the indexer has finalised: the reorg detector's checkpoints.
CREATE TABLE indexed_blocks (
  dao          TEXT    NOT NULL,
  number       INTEGER NOT NULL,
  hash         TEXT    NOT NULL,
  timestamp    INTEGER NOT NULL,
  PRIMARY KEY (dao, number)
);

CREATE TABLE proposals (
  dao              TEXT    NOT NULL,
  id               TEXT    NOT NULL,
  proposer         TEXT    NOT NULL,
  title            TEXT    NOT NULL,
  description      TEXT    NOT NULL,
  description_hash TEXT    NOT NULL,
  actions_json     TEXT    NOT NULL,
  vote_start       TEXT    NOT NULL,
  vote_end         TEXT    NOT NULL,
  created_block    INTEGER NOT NULL,
  created_tx       TEXT    NOT NULL,
  created_log      INTEGER NOT NULL,
  created_at       INTEGER NOT NULL,
  PRIMARY KEY (dao, id)
);
CREATE INDEX proposals_by_block ON proposals (dao, created_block DESC);

-- Lifecycle events after creation: canceled, queued (eta), executed, extended (new deadline).
CREATE TABLE proposal_events (
  dao          TEXT    NOT NULL,
  proposal_id  TEXT    NOT NULL,
  kind         TEXT    NOT NULL,
  value        TEXT,
  block        INTEGER NOT NULL,
  tx           TEXT    NOT NULL,
  log_index    INTEGER NOT NULL,
  PRIMARY KEY (dao, block, log_index)
);
CREATE INDEX proposal_events_by_proposal ON proposal_events (dao, proposal_id);

CREATE TABLE votes (
  dao          TEXT    NOT NULL,
  proposal_id  TEXT    NOT NULL,
  voter        TEXT    NOT NULL,
  support      INTEGER NOT NULL,
  weight       TEXT    NOT NULL,
  reason       TEXT    NOT NULL,
  params       TEXT,
  block        INTEGER NOT NULL,
  tx           TEXT    NOT NULL,
  log_index    INTEGER NOT NULL,
  PRIMARY KEY (dao, block, log_index)
);
CREATE INDEX votes_by_proposal ON votes (dao, proposal_id);
CREATE INDEX votes_by_voter ON votes (dao, voter);

CREATE TABLE delegate_changes (
  dao            TEXT    NOT NULL,
  delegator      TEXT    NOT NULL,
  from_delegate  TEXT    NOT NULL,
  to_delegate    TEXT    NOT NULL,
  block          INTEGER NOT NULL,
  tx             TEXT    NOT NULL,
  log_index      INTEGER NOT NULL,
  PRIMARY KEY (dao, block, log_index)
);
CREATE INDEX delegate_changes_by_delegator ON delegate_changes (dao, delegator);
CREATE INDEX delegate_changes_by_delegate ON delegate_changes (dao, to_delegate);

CREATE TABLE delegate_votes (
  dao            TEXT    NOT NULL,
  delegate       TEXT    NOT NULL,
  previous_votes TEXT    NOT NULL,
  new_votes      TEXT    NOT NULL,
  block          INTEGER NOT NULL,
  tx             TEXT    NOT NULL,
  log_index      INTEGER NOT NULL,
  PRIMARY KEY (dao, block, log_index)
);
CREATE INDEX delegate_votes_by_delegate ON delegate_votes (dao, delegate, block DESC, log_index DESC);
