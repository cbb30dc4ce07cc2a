-- Run by withInitScript once the container is ready: one DDL statement per transaction, as DSQL requires.
CREATE TABLE init_script_marker (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), note text NOT NULL);
INSERT INTO init_script_marker (note) VALUES ('written by withInitScript');
