-- The guest list schema, written the way Aurora DSQL wants it:
--  * keys are UUIDs from gen_random_uuid() (no SERIAL: DSQL has no sequences behind SERIAL columns, and random
--    keys spread writes across the cluster);
--  * no FOREIGN KEY clauses (DSQL does not support them): GuestListService checks references itself;
--  * one DDL statement per transaction (Schema runs each statement on its own).

CREATE TABLE IF NOT EXISTS guest_list (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title      text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- seats_taken is the number of attending guests plus their plus-ones. Every RSVP updates it, so two RSVPs in
-- one group write the same row and DSQL's optimistic concurrency lets only one of them commit at a time.
CREATE TABLE IF NOT EXISTS guest_group (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    guest_list_id uuid NOT NULL,
    name          text NOT NULL,
    max_seats     integer NOT NULL CHECK (max_seats > 0),
    seats_taken   integer NOT NULL DEFAULT 0 CHECK (seats_taken >= 0)
);

CREATE TABLE IF NOT EXISTS guest (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    group_id      uuid NOT NULL,
    name          text NOT NULL,
    email         text NOT NULL,
    response      text NOT NULL DEFAULT 'PENDING' CHECK (response IN ('PENDING', 'ATTENDING', 'DECLINED')),
    plus_ones     integer NOT NULL DEFAULT 0 CHECK (plus_ones BETWEEN 0 AND 5),
    responded_at  timestamptz
);

-- TODO(dialect): DSQL builds secondary indexes only with CREATE INDEX ASYNC, which DSQL Local does not accept yet
-- (the dialect work is pending). When it does, add:
--   CREATE INDEX ASYNC IF NOT EXISTS guest_group_by_list ON guest_group (guest_list_id);
--   CREATE INDEX ASYNC IF NOT EXISTS guest_by_group ON guest (group_id);
-- Until then the lookups by list and by group scan their tables, which is fine at sample sizes.
