-- Full-text search: DSQL has no language configurations (DSQL-BEHAVIOUR.md §6, recorded on a real cluster:
-- to_tsvector('english', ...) fails with 42704 text search configuration "english" does not exist). initdb creates
-- the snowball configurations and dictionaries after bootstrap, so they are not pinned and can be dropped; the
-- built-in simple configuration cannot be and stays, and is the default, as initdb makes it when no configuration
-- matches the locale (DSQL's default_text_search_config is not recorded: a guess). Also with --dialect off: the
-- template is shared.
DO $body$
DECLARE
    object text;
BEGIN
    FOR object IN SELECT c.oid::regconfig::text FROM pg_catalog.pg_ts_config c
            WHERE EXISTS (SELECT FROM pg_catalog.pg_ts_config_map m
                JOIN pg_catalog.pg_ts_dict d ON d.oid = m.mapdict
                JOIN pg_catalog.pg_ts_template t ON t.oid = d.dicttemplate
                WHERE m.mapcfg = c.oid AND t.tmplname = 'snowball')
              AND c.cfgnamespace = 'pg_catalog'::regnamespace LOOP
        EXECUTE 'DROP TEXT SEARCH CONFIGURATION ' || object;
    END LOOP;
    FOR object IN SELECT d.oid::regdictionary::text FROM pg_catalog.pg_ts_dict d
            JOIN pg_catalog.pg_ts_template t ON t.oid = d.dicttemplate
            WHERE t.tmplname = 'snowball' AND d.dictnamespace = 'pg_catalog'::regnamespace LOOP
        EXECUTE 'DROP TEXT SEARCH DICTIONARY ' || object;
    END LOOP;
    EXECUTE format('ALTER DATABASE %I SET default_text_search_config = %L', current_database(),
        'pg_catalog.simple');
END $body$;
