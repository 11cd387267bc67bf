package io.opsmcp.tools.aws.sandbox;

import io.opsmcp.core.tool.ToolsetSandbox;
import io.opsmcp.core.tool.ToolsetSandboxProvider;
import java.nio.file.Path;

/** ServiceLoader entry of the aws sandbox: a simulated account ({@link AwsSandbox}) for {@code --sandbox}. */
public final class AwsSandboxProvider implements ToolsetSandboxProvider {

    @Override
    public String toolset() {
        return "aws";
    }

    /** Starts the simulated account; it keeps no state on disk, so {@code dir} is unused. */
    @Override
    public ToolsetSandbox start(Path dir) {
        return AwsSandbox.start();
    }
}
