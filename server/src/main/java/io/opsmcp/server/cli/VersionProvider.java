package io.opsmcp.server.cli;

import io.opsmcp.server.Version;
import picocli.CommandLine.IVersionProvider;

/** Prints the build version for {@code --version}. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"ops-mcp " + Version.current()};
    }
}
