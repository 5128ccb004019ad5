-- newsdesk schema for PostgreSQL, version 1: the same tables as schema.sql.
-- Later changes go in MIGRATIONS (store/postgres_schema.py), never here.
-- Dates stay ISO 8601 text, as in SQLite, so both order articles the same way.

-- English stemming without a stop-word list, as SQLite's porter tokenizer does:
-- "WHO", "US" and "it" stay searchable.
CREATE TEXT SEARCH DICTIONARY newsdesk_stem (TEMPLATE = snowball, LANGUAGE = english);
CREATE TEXT SEARCH CONFIGURATION newsdesk (COPY = english);
ALTER TEXT SEARCH CONFIGURATION newsdesk
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
    WITH newsdesk_stem;

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
    brief         JSONB NOT NULL,         -- the whole brief (serialize.py)
    ingested_at   TEXT NOT NULL,
    -- '<' and '>' read as spaces: the text parser would drop words in "<...>" as a tag.
    search        TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('newsdesk', translate(title, '<>', '  ')), 'A')
        || setweight(to_tsvector('newsdesk', translate(body, '<>', '  ')), 'B')
    ) STORED
);
CREATE INDEX articles_by_date ON articles (coalesce(published, ingested_at) DESC, id);
CREATE INDEX articles_search ON articles USING GIN (search);

CREATE TABLE article_labels (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    label      TEXT NOT NULL,
    PRIMARY KEY (article_id, label)
);
CREATE INDEX article_labels_by_label ON article_labels (label);

CREATE TABLE entities (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name    TEXT NOT NULL,
    kind    TEXT NOT NULL,
    country TEXT,
    UNIQUE (name, kind)
);

CREATE TABLE mentions (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    entity_id  BIGINT NOT NULL REFERENCES entities (id),
    role       TEXT NOT NULL DEFAULT '',
    sentences  JSONB NOT NULL,            -- array of sentence indexes
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
