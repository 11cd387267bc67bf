package io.opsmcp.server.config;

import io.opsmcp.core.config.InvalidConfigException;

/** Invalid configuration; the message names the setting and the rule, and is shown to the operator as is. */
public class ConfigException extends InvalidConfigException {

    public ConfigException(String message) {
        super(message);
    }
}
