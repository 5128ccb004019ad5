-- newsdesk schema, version 1. Later changes go in MIGRATIONS (store/schema.py),
-- never here, so that an old database and a new one end up the same.

CREATE TABLE articles (
    id            TEXT PRIMARY KEY,
    url           TEXT,
    canonical_url TEXT UNIQUE,
    content_hash  TEXT NOT NULL UNIQUE,
    title         TEXT NOT NULL,
    dek           TEXT NOT NULL,
    body          TEXT NOT NULL,
    html          TEXT,                   -- sanitised body HTML, when the source had HTML
    published     TEXT,
    kind          TEXT NOT NULL,
    brief         TEXT NOT NULL,          -- the whole brief as JSON (serialize.py)
    ingested_at   TEXT NOT NULL
);
CREATE INDEX articles_by_date ON articles (coalesce(published, ingested_at) DESC, id);

CREATE TABLE article_labels (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    label      TEXT NOT NULL,
    PRIMARY KEY (article_id, label)
);
CREATE INDEX article_labels_by_label ON article_labels (label);

CREATE TABLE entities (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL,
    kind    TEXT NOT NULL,
    country TEXT,
    UNIQUE (name, kind)
);

CREATE TABLE mentions (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    entity_id  INTEGER NOT NULL REFERENCES entities (id),
    role       TEXT NOT NULL DEFAULT '',
    sentences  TEXT NOT NULL,             -- JSON array of sentence indexes
    PRIMARY KEY (article_id, entity_id)
);
CREATE INDEX mentions_by_entity ON mentions (entity_id);

CREATE TABLE feeds (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    last_fetched  TEXT,
    last_error    TEXT,
    fetches       INTEGER NOT NULL DEFAULT 0,
    errors        INTEGER NOT NULL DEFAULT 0
);

CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, body, content = 'articles', content_rowid = 'rowid', tokenize = 'porter unicode61'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body)
    VALUES ('delete', old.rowid, old.title, old.body);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body)
    VALUES ('delete', old.rowid, old.title, old.body);
    INSERT INTO articles_fts (rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
