-- Fitted taste models (`seenemall train`). Each fit is a new row; `serve` loads the highest
-- version, so every replica serves the same model. The payload is the model's own binary
-- encoding (seen_core::taste::codec), which carries its format version.
CREATE TABLE taste_models (
    version      bigserial    PRIMARY KEY,
    created_at   timestamptz  NOT NULL DEFAULT now(),
    -- The model family, e.g. 'ease'.
    kind         varchar(32)  NOT NULL,
    -- The fit's parameters (λ, top-k, event weights, ...), for people and the eval.
    params       jsonb        NOT NULL,
    users        integer      NOT NULL,
    items        integer      NOT NULL,
    -- Non-zeros of the training matrix (user, title entries) and weights kept in the model.
    interactions bigint       NOT NULL,
    weights      bigint       NOT NULL,
    payload      bytea        NOT NULL
);

-- Reads go by kind, newest first.
CREATE INDEX ix_taste_models_kind_version ON taste_models (kind, version DESC);
