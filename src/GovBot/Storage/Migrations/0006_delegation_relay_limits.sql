-- Every delegateBySig relay slot taken, so the per-link and per-delegator limits (and the guard against relaying one
-- signature twice while its transaction is pending) survive a restart and hold across instances sharing this file.
CREATE TABLE delegation_relay_slots (
  id           INTEGER PRIMARY KEY,
  link_id      TEXT    NOT NULL,
  delegator    TEXT    NOT NULL,
  token        TEXT    NOT NULL,
  nonce        TEXT    NOT NULL,
  used_at      INTEGER NOT NULL,
  tx           TEXT
);
CREATE INDEX delegation_relay_slots_link ON delegation_relay_slots (link_id);
CREATE INDEX delegation_relay_slots_delegator ON delegation_relay_slots (delegator, used_at);
CREATE INDEX delegation_relay_slots_signature ON delegation_relay_slots (token, delegator, nonce);
CREATE INDEX delegation_relay_slots_used_at ON delegation_relay_slots (used_at);
