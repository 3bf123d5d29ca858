-- Where each delegation link was handed out, so the chat can hear back once the delegation is on chain.
CREATE TABLE delegation_links (
  link_id      TEXT    NOT NULL PRIMARY KEY,
  dao          TEXT    NOT NULL,
  delegatee    TEXT    NOT NULL,
  surface      TEXT    NOT NULL,
  chat_id      TEXT    NOT NULL,
  expires_at   INTEGER NOT NULL,
  created_at   INTEGER NOT NULL
);

-- Every delegateBySig the relayer sent; announced once the indexer has seen its DelegateChanged.
CREATE TABLE delegation_relays (
  tx           TEXT    NOT NULL PRIMARY KEY,
  link_id      TEXT    NOT NULL,
  dao          TEXT    NOT NULL,
  delegator    TEXT    NOT NULL,
  delegatee    TEXT    NOT NULL,
  relayed_at   INTEGER NOT NULL,
  announced    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX delegation_relays_pending ON delegation_relays (dao, announced);
