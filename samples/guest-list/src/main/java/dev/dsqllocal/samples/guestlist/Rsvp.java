package dev.dsqllocal.samples.guestlist;

/** A guest's answer to the invitation. */
public enum Rsvp {
    PENDING,
    ATTENDING,
    DECLINED
}
