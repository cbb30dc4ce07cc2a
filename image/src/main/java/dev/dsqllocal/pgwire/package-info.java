/**
 * The PostgreSQL v3 wire protocol, the bottom layer of the SQL path: {@link dev.dsqllocal.pgwire.PgFrameDecoder}
 * splits a byte stream into whole messages, and the typed messages ({@link dev.dsqllocal.pgwire.FrontendMessage},
 * {@link dev.dsqllocal.pgwire.BackendMessage}, {@link dev.dsqllocal.pgwire.StartupPacket},
 * {@link dev.dsqllocal.pgwire.PasswordMessage}) encode and decode themselves, following
 * https://www.postgresql.org/docs/16/protocol-message-formats.html. Only the messages the emulator reads or writes are
 * typed; the rest decode as opaque and are forwarded as their bytes came. Imports nothing of the emulator.
 */
package dev.dsqllocal.pgwire;
