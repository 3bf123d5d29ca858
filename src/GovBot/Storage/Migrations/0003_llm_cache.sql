-- Model outputs, cached so an unchanged proposal is summarised once per model and prompt version, ever.
-- Stored after the output guard ran: what is served from here already passed it.
CREATE TABLE llm_summaries (
  dao              TEXT    NOT NULL,
  proposal_id      TEXT    NOT NULL,
  description_hash TEXT    NOT NULL,
  prompt_version   TEXT    NOT NULL,
  model            TEXT    NOT NULL,
  summary          TEXT    NOT NULL,
  flagged          INTEGER NOT NULL,
  created_at       TEXT    NOT NULL,
  PRIMARY KEY (dao, proposal_id, description_hash, prompt_version, model)
);

-- /ask answers depend on live data, so the key includes the indexed block they were answered at: a new block means a new answer.
CREATE TABLE llm_answers (
  dao            TEXT    NOT NULL,
  question_hash  TEXT    NOT NULL,
  prompt_version TEXT    NOT NULL,
  model          TEXT    NOT NULL,
  indexed_block  INTEGER NOT NULL,
  answer         TEXT    NOT NULL,
  citations_json TEXT    NOT NULL,
  flagged        INTEGER NOT NULL,
  created_at     TEXT    NOT NULL,
  PRIMARY KEY (dao, question_hash, prompt_version, model, indexed_block)
);
