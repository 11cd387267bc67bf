package io.opsmcp.app;

import java.util.List;

/**
 * Entry point of {@code ops-mcp.jar}: the server's command line ({@link io.opsmcp.server.cli.Main}) plus
 * {@code demo}, which needs the toolsets and their sandboxes that only this module puts together.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(io.opsmcp.server.cli.Main.run(List.of(new DemoCommand()), args));
    }
}
