package io.opsmcp.core.tool;

import tools.jackson.databind.JsonNode;

/**
 * Simulated systems a toolset serves on loopback for {@code --sandbox} (an SSH host, a simulated AWS account,
 * a simulated GitLab), so the server can be tried with nothing external. Started before the toolset is created;
 * it adds the configuration that points the toolset at the simulation.
 */
public interface ToolsetSandbox extends AutoCloseable {

    /**
     * Returns a copy of the configuration with this sandbox's simulated systems added (a host entry, an account,
     * an instance).
     *
     * @throws IllegalArgumentException when the configuration already uses a name the sandbox reserves
     */
    JsonNode configure(JsonNode settings);

    /**
     * Starts, on a background thread, what {@link #configure} did not need (e.g. a server behind a port already
     * bound); returns at once. Called once the server's first answer is out; a sandbox must also start that work on
     * first use, so a call made earlier waits instead of failing. Does nothing by default.
     */
    default void startInBackground() {}

    /** Stops the simulated systems. */
    @Override
    void close();
}
