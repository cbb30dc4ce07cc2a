package com.example.shop;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/**
 * An order. The key is a UUID made by Hibernate in the JVM: no sequence round trip, and no {@code @GeneratedValue
 * Long}, whose default sequence ({@code increment by 50}, no CACHE) DSQL refuses (CACHE must be 1 or >= 65536,
 * https://docs.aws.amazon.com/aurora-dsql/latest/userguide/sequences-identity-columns.html). Random keys also spread
 * writes, which DSQL recommends (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/best-practices.html).
 */
@Entity
@Table(name = "purchase_order")
public class PurchaseOrder {

    @Id
    @GeneratedValue(strategy = GenerationType.UUID)
    private UUID id;

    private String item;

    private int quantity;

    protected PurchaseOrder() {}

    public PurchaseOrder(String item, int quantity) {
        this.item = item;
        this.quantity = quantity;
    }

    public UUID getId() {
        return id;
    }

    public String getItem() {
        return item;
    }

    public int getQuantity() {
        return quantity;
    }

    public void setQuantity(int quantity) {
        this.quantity = quantity;
    }
}
