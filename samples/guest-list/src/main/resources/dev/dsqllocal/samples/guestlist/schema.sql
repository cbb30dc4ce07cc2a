-- The guest list schema, written the way Aurora DSQL wants it:
--  * keys are UUIDs from gen_random_uuid() (no SERIAL: DSQL has no sequences behind SERIAL columns, and random
--    keys spread writes across the cluster);
--  * foreign keys (DSQL supports them since 2026-08-26); GuestListService still checks references first, to
--    answer with a clear "not found" instead of a constraint violation;
--  * one DDL statement per transaction (Schema runs each statement on its own);
--  * secondary indexes with CREATE INDEX ASYNC (DSQL refuses a synchronous CREATE INDEX); Schema waits for each
--    index job with CALL sys.wait_for_job before the service uses the tables.

CREATE TABLE IF NOT EXISTS guest_list (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title      text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- seats_taken is the number of attending guests plus their plus-ones. Every RSVP updates it, so two RSVPs in
-- one group write the same row and DSQL's optimistic concurrency lets only one of them commit at a time.
CREATE TABLE IF NOT EXISTS guest_group (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    guest_list_id uuid NOT NULL REFERENCES guest_list (id),
    name          text NOT NULL,
    max_seats     integer NOT NULL CHECK (max_seats > 0),
    seats_taken   integer NOT NULL DEFAULT 0 CHECK (seats_taken >= 0)
);

CREATE TABLE IF NOT EXISTS guest (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    group_id      uuid NOT NULL REFERENCES guest_group (id),
    name          text NOT NULL,
    email         text NOT NULL,
    response      text NOT NULL DEFAULT 'PENDING' CHECK (response IN ('PENDING', 'ATTENDING', 'DECLINED')),
    plus_ones     integer NOT NULL DEFAULT 0 CHECK (plus_ones BETWEEN 0 AND 5),
    responded_at  timestamptz
);

-- The lookups by list and by group.
CREATE INDEX ASYNC IF NOT EXISTS guest_group_by_list ON guest_group (guest_list_id);

CREATE INDEX ASYNC IF NOT EXISTS guest_by_group ON guest (group_id);
