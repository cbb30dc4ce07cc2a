package com.example.shop;

import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Each public method is one transaction, retried as a whole on 40001. A {@link TransactionTemplate} rather than
 * {@code @Transactional}: the retry must sit outside the transaction, so that every attempt begins a new one (with
 * {@code @Transactional} the retry would have to be another proxy around this one).
 */
@Service
public class OrderService {

    private final PurchaseOrderRepository orders;
    private final TransactionTemplate transaction;
    private final OccRetry retry;

    public OrderService(PurchaseOrderRepository orders, PlatformTransactionManager transactionManager) {
        this.orders = orders;
        this.transaction = new TransactionTemplate(transactionManager);
        this.retry = new OccRetry(5, 20);
    }

    /** Saves a new order; the entity is made inside the attempt so that a retry does not reuse a rolled-back one. */
    public UUID place(String item, int quantity) {
        return retry.run(() -> transaction.execute(status ->
                orders.save(new PurchaseOrder(item, quantity)).getId()));
    }

    /** Adds to an order's quantity: a read-modify-write, the kind of transaction that meets OC000 under contention. */
    public int addQuantity(UUID id, int more) {
        return retry.run(() -> transaction.execute(status -> {
            PurchaseOrder order = orders.findById(id).orElseThrow(() -> new IllegalArgumentException("no order " + id));
            order.setQuantity(order.getQuantity() + more);
            return order.getQuantity();
        }));
    }
}
