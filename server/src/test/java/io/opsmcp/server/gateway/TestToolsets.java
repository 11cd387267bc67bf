package io.opsmcp.server.gateway;

import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import java.util.List;

/** The server tests' toolsets: a name and its tools, nothing else (no resources, prompts or completions). */
public final class TestToolsets {

    private TestToolsets() {}

    /** A toolset called {@code name} contributing {@code tools} in order. */
    public static OpsToolset of(String name, OpsTool... tools) {
        List<OpsTool> list = List.of(tools);
        return new OpsToolset() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return "test";
            }

            @Override
            public List<OpsTool> tools() {
                return list;
            }
        };
    }
}
