package dev.dsqllocal.server;

/** A setting that cannot be used; the message names the flag or variable and says what is expected. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
