package dev.dsqllocal.samples.guestlist;

/** A request the guest list refuses: unknown ids, or no seats left. */
public class GuestListException extends RuntimeException {
    public GuestListException(String message) {
        super(message);
    }
}
