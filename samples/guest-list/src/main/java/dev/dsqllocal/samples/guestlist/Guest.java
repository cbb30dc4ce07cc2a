package dev.dsqllocal.samples.guestlist;

import java.util.UUID;

/** One invited guest, with the answer so far. */
public record Guest(UUID id, UUID groupId, String name, String email, Rsvp response, int plusOnes) {}
