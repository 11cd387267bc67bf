package io.opsmcp.app;

import java.util.List;

/**
 * Entry point of {@code ops-mcp.jar}: the server's command line ({@link io.opsmcp.server.cli.Main}) plus
 * {@code demo}, which needs the toolsets and their sandboxes that only this module puts together. Under
 * {@code java -jar} it first moves itself onto plain jars ({@link ExtractedClassPath}), which start faster than
 * Spring Boot's nested ones.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) throws Throwable {
        if (ExtractedClassPath.runExtracted(Main.class.getClassLoader(), Main.class.getName(), args)) {
            return;
        }
        System.exit(io.opsmcp.server.cli.Main.run(List.of(new DemoCommand()), args));
    }
}
