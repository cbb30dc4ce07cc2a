package dev.dsqllocal.clusters;

import java.util.List;

/**
 * A page of a listing in identifier order; {@code more} when items follow the last one (the API turns that into
 * a continuation token naming the last identifier).
 */
public record Page<T>(List<T> items, boolean more) {
    public Page {
        items = List.copyOf(items);
    }
}
