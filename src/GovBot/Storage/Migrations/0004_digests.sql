-- Digests and notifications. One subscription per (surface, chat, DAO): which events to post there, and the chat's
-- digest schedule (a cron expression read in the chat's time zone).
CREATE TABLE subscriptions (
  surface         TEXT    NOT NULL,
  chat_id         TEXT    NOT NULL,
  dao             TEXT    NOT NULL,
  events          TEXT    NOT NULL,
  cron            TEXT    NOT NULL,
  time_zone       TEXT    NOT NULL,
  created_at      INTEGER NOT NULL,
  -- The digest slot (unix seconds, UTC) last enqueued for this chat: the scheduler's cursor and the digest's "since".
  last_digest_at  INTEGER,
  PRIMARY KEY (surface, chat_id, dao)
);
CREATE INDEX subscriptions_by_dao ON subscriptions (dao);

-- Every governance event GovBot noticed, once per (dao, proposal, kind). announced = 0 marks what was already true
-- when GovBot first looked at the DAO: recorded as seen, never posted.
CREATE TABLE notification_events (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  dao          TEXT    NOT NULL,
  proposal_id  TEXT    NOT NULL,
  kind         TEXT    NOT NULL,
  title        TEXT    NOT NULL,
  reply_json   TEXT,
  detected_at  INTEGER NOT NULL,
  announced    INTEGER NOT NULL,
  UNIQUE (dao, proposal_id, kind)
);
CREATE INDEX notification_events_by_time ON notification_events (dao, detected_at);

-- The DAOs whose existing history has been marked seen (the "first start posts nothing" baseline).
CREATE TABLE notification_baselines (
  dao          TEXT    NOT NULL PRIMARY KEY,
  block        INTEGER NOT NULL,
  created_at   INTEGER NOT NULL
);

-- One row per message to deliver to one chat. The unique key makes enqueueing idempotent; rows are written in the
-- same transaction as the event (or digest slot) they announce. status: pending → sending → sent, or dropped
-- (chat gone) / failed (gave up after retries).
CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  event_key        TEXT    NOT NULL,
  surface          TEXT    NOT NULL,
  chat_id          TEXT    NOT NULL,
  dao              TEXT    NOT NULL,
  kind             TEXT    NOT NULL,
  notification_id  INTEGER REFERENCES notification_events (id),
  reply_json       TEXT,
  status           TEXT    NOT NULL DEFAULT 'pending',
  attempts         INTEGER NOT NULL DEFAULT 0,
  -- 0 (due at once) when enqueued; set only by a retry's backoff.
  next_attempt_at  INTEGER NOT NULL,
  claimed_at       INTEGER,
  sent_at          INTEGER,
  last_error       TEXT,
  created_at       INTEGER NOT NULL,
  UNIQUE (event_key, surface, chat_id),
  CHECK (notification_id IS NOT NULL OR reply_json IS NOT NULL)
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);
CREATE INDEX outbox_by_chat ON outbox (surface, chat_id, status);
