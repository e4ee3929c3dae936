package io.crosszone.config;

/** Bad input: a configuration or flag that cannot be used. The CLI maps it to exit code 2. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
