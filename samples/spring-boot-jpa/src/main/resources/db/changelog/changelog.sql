--liquibase formatted sql

-- One DDL statement per changeset: DSQL runs at most one DDL per transaction, and none together with DML
-- (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/working-with-postgresql-compatibility-unsupported-features.html).

--changeset shop:1
CREATE TABLE purchase_order (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    item varchar(200) NOT NULL,
    quantity int NOT NULL
);
--rollback DROP TABLE purchase_order;

--changeset shop:2
CREATE INDEX ASYNC purchase_order_item ON purchase_order (item);
--rollback DROP INDEX purchase_order_item;
