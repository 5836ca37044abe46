-- The history a model was fitted on: the highest `user_history.id` its training read and how
-- many rows that was. A server compares them with the table to decide whether enough new
-- history has arrived to retrain on its own (AUTO_TRAIN). NULL for models fitted before this
-- column existed: they count as having seen no history, so the first check retrains once.
ALTER TABLE taste_models
    ADD COLUMN history_mark bigint,
    ADD COLUMN history_rows bigint;
