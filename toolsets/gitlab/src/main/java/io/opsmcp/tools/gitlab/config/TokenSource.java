package io.opsmcp.tools.gitlab.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where an instance's access token comes from. Tokens are never part of the configuration file; the error
 * messages name the variable or file, never the value.
 */
public sealed interface TokenSource {

    /**
     * Reads the token.
     *
     * @throws IllegalStateException naming the variable or file when it is unset, empty or unreadable
     */
    String read();

    /** What {@link #read} uses, for messages ({@code environment variable GITLAB_TOKEN}, {@code file /run/…}). */
    String describe();

    /** The token is the value of an environment variable. */
    record Env(String variable, Function<String, String> environment) implements TokenSource {
        @Override
        public String read() {
            String value = environment.apply(variable);
            if (value == null || value.isBlank()) {
                throw new IllegalStateException(
                        "environment variable " + variable + " (token_env) is not set or empty");
            }
            return value.strip();
        }

        @Override
        public String describe() {
            return "environment variable " + variable;
        }
    }

    /** The token is the content of a file (trailing newline ignored); read on every use so it can be rotated. */
    record File(Path path) implements TokenSource {
        @Override
        public String read() {
            String value;
            try {
                value = Files.readString(path, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalStateException("token_file " + path + " cannot be read: "
                        + e.getClass().getSimpleName());
            }
            if (value.isEmpty()) {
                throw new IllegalStateException("token_file " + path + " is empty");
            }
            return value;
        }

        @Override
        public String describe() {
            return "file " + path;
        }
    }
}
