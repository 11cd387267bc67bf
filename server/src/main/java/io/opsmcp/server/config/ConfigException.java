package io.opsmcp.server.config;

/** Invalid configuration; the message names the setting and the rule, and is shown to the operator as is. */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
