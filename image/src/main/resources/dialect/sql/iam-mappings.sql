-- IAM role mappings: AWS IAM GRANT/REVOKE become CALLs of the two SECURITY DEFINER procedures below, the only
-- writers of the mapping table; the gateway reads it at login. A mapped role is granted SELECT on the empty,
-- column-less table sys.dsql_local_iam_trust: a privilege PostgreSQL records as a dependency, so it refuses
-- DROP ROLE itself (2BP01 role "x" cannot be dropped because some objects depend on it) until the last mapping of
-- the role is revoked.
-- https://docs.aws.amazon.com/aurora-dsql/latest/userguide/using-database-and-iam-roles.html
CREATE SEQUENCE IF NOT EXISTS sys.dsql_local_iam_oid_seq START 26000;
REVOKE ALL ON sys.dsql_local_iam_oid_seq FROM PUBLIC;
CREATE TABLE IF NOT EXISTS sys.dsql_local_iam_mappings (
    iam_oid oid PRIMARY KEY DEFAULT nextval('sys.dsql_local_iam_oid_seq')::oid,
    arn text NOT NULL, pg_role_oid oid NOT NULL, grantor_pg_role_oid oid NOT NULL,
    UNIQUE (arn, pg_role_oid));
REVOKE ALL ON sys.dsql_local_iam_mappings FROM PUBLIC;
CREATE TABLE IF NOT EXISTS sys.dsql_local_iam_trust ();
REVOKE ALL ON sys.dsql_local_iam_trust FROM PUBLIC;
CREATE OR REPLACE VIEW sys.iam_pg_role_mappings AS
    SELECT m.iam_oid, m.arn, m.pg_role_oid, r.rolname AS pg_role_name, m.grantor_pg_role_oid,
           g.rolname AS grantor_pg_role_name
    FROM sys.dsql_local_iam_mappings m
    JOIN pg_catalog.pg_roles r ON r.oid = m.pg_role_oid
    LEFT JOIN pg_catalog.pg_roles g ON g.oid = m.grantor_pg_role_oid;
GRANT SELECT ON sys.iam_pg_role_mappings TO PUBLIC;
-- Rules shared by GRANT and REVOKE; answers the role's oid. Only admin may change IAM trust.
CREATE OR REPLACE FUNCTION sys.dsql_local_iam_target(verb text, role_name text, arn text)
    RETURNS oid LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $body$
DECLARE
    target pg_roles%ROWTYPE;
BEGIN
    IF session_user <> '${admin}' THEN
        RAISE EXCEPTION 'permission denied to % IAM trust with role %', verb, role_name
            USING ERRCODE = '42501';
    END IF;
    SELECT * INTO target FROM pg_roles r WHERE r.rolname = role_name;
    IF NOT FOUND OR target.rolname = '${superuser}' THEN
        RAISE EXCEPTION 'Role % does not exist', role_name USING ERRCODE = '42704';
    END IF;
    IF target.rolname = '${admin}' OR target.rolsuper THEN
        RAISE EXCEPTION 'Cannot establish trust with role %', role_name USING ERRCODE = '42501';
    END IF;
    IF verb = 'grant' AND NOT target.rolcanlogin THEN
        RAISE EXCEPTION 'role % must have the LOGIN attribute', role_name USING ERRCODE = '22023';
    END IF;
    IF arn IS NULL OR arn !~ '^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[A-Za-z0-9+=,.@_/-]+$' THEN
        RAISE EXCEPTION 'IAM role must look like an IAM ARN' USING ERRCODE = '22023';
    END IF;
    RETURN target.oid;
END $body$;
REVOKE ALL ON FUNCTION sys.dsql_local_iam_target(text, text, text) FROM PUBLIC;
CREATE OR REPLACE PROCEDURE sys.dsql_local_iam_grant(role_name text, arn text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $body$
DECLARE
    role_oid oid := sys.dsql_local_iam_target('grant', role_name, arn);
BEGIN
    INSERT INTO sys.dsql_local_iam_mappings (arn, pg_role_oid, grantor_pg_role_oid)
        SELECT arn, role_oid, r.oid FROM pg_roles r WHERE r.rolname = session_user
        ON CONFLICT DO NOTHING;
    EXECUTE format('GRANT SELECT ON sys.dsql_local_iam_trust TO %I', role_name);
END $body$;
CREATE OR REPLACE PROCEDURE sys.dsql_local_iam_revoke(role_name text, arn text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $body$
DECLARE
    role_oid oid := sys.dsql_local_iam_target('revoke', role_name, arn);
BEGIN
    DELETE FROM sys.dsql_local_iam_mappings m WHERE m.arn = dsql_local_iam_revoke.arn
        AND m.pg_role_oid = role_oid;
    IF NOT EXISTS (SELECT FROM sys.dsql_local_iam_mappings m WHERE m.pg_role_oid = role_oid) THEN
        EXECUTE format('REVOKE SELECT ON sys.dsql_local_iam_trust FROM %I', role_name);
    END IF;
END $body$;
