package io.opsmcp.app;

import java.util.List;

/**
 * Entry point of {@code ops-mcp.jar}: the server's command line ({@link io.opsmcp.server.cli.Main}) plus
 * {@code demo}, which needs the toolsets and their sandboxes that only this module puts together. Under
 * {@code java -jar} it first moves itself onto plain jars ({@link ExtractedClassPath}), which start faster than
 * Spring Boot's nested ones; under the fast start ({@code startup-cache.sh}) it reads the class path's jars ahead
 * ({@link ClassPathPrefetch}).
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) throws Throwable {
        if (ExtractedClassPath.runExtracted(Main.class.getClassLoader(), Main.class.getName(), args)) {
            return;
        }
        // the fast start's class path loader: its jars are read beside picocli instead of on this thread
        ClassPathPrefetch.startIfClassPathLoader(Main.class.getClassLoader());
        System.exit(io.opsmcp.server.cli.Main.run(List.of(new DemoCommand()), args));
    }
}
