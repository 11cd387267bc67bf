package io.opsmcp.tools.gitlab.sandbox;

import io.opsmcp.core.tool.ToolsetSandbox;
import io.opsmcp.core.tool.ToolsetSandboxProvider;
import java.nio.file.Path;

/** ServiceLoader entry of the simulated GitLab instance {@value GitLabSandbox#INSTANCE} for the gitlab toolset. */
public final class GitLabSandboxProvider implements ToolsetSandboxProvider {

    @Override
    public String toolset() {
        return "gitlab";
    }

    /** Starts WireMock on 127.0.0.1 (a random port) and writes the sandbox token file into {@code dir}. */
    @Override
    public ToolsetSandbox start(Path dir) {
        return GitLabSandbox.start(dir);
    }
}
