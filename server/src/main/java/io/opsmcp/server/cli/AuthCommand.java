package io.opsmcp.server.cli;

import io.opsmcp.server.auth.ApiKeys;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ops-mcp auth}: helpers for HTTP authentication. */
@Command(
        name = "auth",
        mixinStandardHelpOptions = true,
        description = "HTTP authentication helpers.",
        subcommands = AuthCommand.HashKey.class)
public final class AuthCommand {

    /** {@code ops-mcp auth hash-key}: prints the SHA-256 of an API key read from stdin, for {@code auth.api_keys}. */
    @Command(
            name = "hash-key",
            mixinStandardHelpOptions = true,
            description = "Read an API key from stdin (first line) and print its SHA-256 for auth.api_keys[].sha256.")
    static final class HashKey implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            String key = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (key == null || key.isBlank()) {
                System.err.println(
                        "ops-mcp: no key on stdin (e.g. openssl rand -hex 32 | tee key.txt | ops-mcp auth hash-key)");
                return 2;
            }
            System.out.println(ApiKeys.sha256Hex(key.strip()));
            return 0;
        }
    }
}
