-- Streaming offers per title and country, written by `seenemall etl-justwatch`.
CREATE TABLE availability (
    id           serial PRIMARY KEY,
    item_id      integer       NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    -- Upper-cased ISO 3166-1 code (the original stored whatever case it was given).
    country      varchar(8)    NOT NULL,
    -- JustWatch package short name (nfx, dnp, amp, ...).
    service      varchar(64)   NOT NULL,
    -- FLATRATE, FREE, ADS, RENT, BUY, ...
    offer_type   varchar(16)   NOT NULL,
    deeplink     varchar(1024),
    web_url      varchar(1024),
    price        double precision,
    currency     varchar(8),
    last_checked timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT uq_availability_offer UNIQUE (item_id, country, service, offer_type)
);

CREATE INDEX ix_availability_country_service ON availability (country, service);
