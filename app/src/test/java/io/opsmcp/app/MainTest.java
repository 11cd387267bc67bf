package io.opsmcp.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code demo} belongs to the jar's command line, not to the server library's. */
class MainTest {

    @Test
    void theAppAddsDemoToTheServersCommandLine() {
        assertThat(io.opsmcp.server.cli.Main.run(List.of(new DemoCommand()), "demo", "--help"))
                .isZero();
        assertThat(io.opsmcp.server.cli.Main.run("demo"))
                .as("usage error: no such command")
                .isEqualTo(2);
    }
}
