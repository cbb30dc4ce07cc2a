CREATE TABLE guest (id uuid PRIMARY KEY, name text NOT NULL);
