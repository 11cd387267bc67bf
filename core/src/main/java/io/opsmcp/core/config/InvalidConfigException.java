package io.opsmcp.core.config;

/**
 * Invalid configuration; the message names the setting and the rule, and is shown to the operator as is (exit
 * code 2, no stack trace). Modules below the server (guard, store-jdbc) throw it; the server's own
 * {@code ConfigException} is one.
 */
public class InvalidConfigException extends RuntimeException {

    public InvalidConfigException(String message) {
        super(message);
    }
}
