package io.opsmcp.core.tool;

import java.nio.file.Path;

/**
 * Service-provider interface ({@link java.util.ServiceLoader}) of a toolset's simulated systems for
 * {@code --sandbox} and the demo. Sandboxes live in their own modules ({@code toolsets/<name>-sandbox}) so that
 * what they need (WireMock, an SSH server) never ships inside a toolset; the runnable jar puts them on the class
 * path, a production build may leave them out.
 */
public interface ToolsetSandboxProvider {

    /** The name of the toolset this sandbox simulates systems for ({@link OpsToolsetProvider#name()}). */
    String toolset();

    /**
     * Starts the simulated systems; called before the toolset is created, only when the sandbox is on and the
     * toolset enabled.
     *
     * @param dir a directory of the sandbox's own (keys, state); exists and is writable
     * @throws IllegalStateException when the simulated systems cannot start (a port, a key)
     */
    ToolsetSandbox start(Path dir);
}
