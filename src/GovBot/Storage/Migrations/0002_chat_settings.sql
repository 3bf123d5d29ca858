-- Per-chat preferences, keyed by surface and the platform's chat id.
CREATE TABLE chat_settings (
  surface      TEXT NOT NULL,
  chat_id      TEXT NOT NULL,
  default_dao  TEXT,
  updated_at   TEXT NOT NULL,
  PRIMARY KEY (surface, chat_id)
);
