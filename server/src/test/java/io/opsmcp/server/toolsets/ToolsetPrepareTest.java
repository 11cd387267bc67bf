package io.opsmcp.server.toolsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.OpsToolsetProvider;
import io.opsmcp.server.config.ConfigException;
import io.opsmcp.server.gateway.TestToolsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@link ToolsetCatalog#enable}'s read-ahead of what the enabled toolsets ship ({@link OpsToolsetProvider#prepare()}):
 * it reads only for enabled toolsets, and neither its failure nor its progress changes what the start does or
 * reports (a toolset whose shipped files do not read fails the start through its own {@code create}).
 */
class ToolsetPrepareTest {

    @TempDir
    Path dir;

    /** A provider whose prepare and create are scripted. */
    private static final class Scripted implements OpsToolsetProvider {
        private final String name;
        private final Runnable prepare;
        private final RuntimeException createFails;

        Scripted(String name, Runnable prepare, RuntimeException createFails) {
            this.name = name;
            this.prepare = prepare;
            this.createFails = createFails;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return name;
        }

        @Override
        public void prepare() {
            prepare.run();
        }

        @Override
        public OpsToolset create(tools.jackson.databind.JsonNode settings, Path dataDir) {
            if (createFails != null) {
                throw createFails;
            }
            return TestToolsets.of(name);
        }
    }

    @Test
    void onlyEnabledToolsetsReadAheadAndAFailingReadAheadDoesNotFailTheStart() throws Exception {
        Set<String> prepared = ConcurrentHashMap.newKeySet();
        CountDownLatch both = new CountDownLatch(2);
        Runnable fails = () -> {
            prepared.add("a");
            both.countDown();
            throw new IllegalStateException("shipped file unreadable");
        };
        ToolsetCatalog catalog = new ToolsetCatalog(
                List.of(
                        new Scripted("a", fails, null),
                        new Scripted(
                                "b",
                                () -> {
                                    prepared.add("b");
                                    both.countDown();
                                },
                                null),
                        new Scripted("off", () -> prepared.add("off"), null)),
                List.of(),
                List.of());
        ToolsetCatalog.Enabled enabled =
                catalog.enable(List.of("a", "b"), JsonNodeFactory.instance.objectNode(), dir, false, dir, true);
        assertThat(enabled.toolsets()).extracting(OpsToolset::name).containsExactly("a", "b");
        assertThat(both.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(prepared).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aToolsetWhoseShippedFilesDoNotReadStillFailsTheStartNamingIt() {
        ToolsetCatalog catalog = new ToolsetCatalog(
                List.of(new Scripted(
                        "a",
                        () -> {
                            throw new IllegalArgumentException("a.yaml commands[0].name: bad");
                        },
                        new IllegalArgumentException("a.yaml commands[0].name: bad"))),
                List.of(),
                List.of());
        assertThatThrownBy(() ->
                        catalog.enable(List.of("a"), JsonNodeFactory.instance.objectNode(), dir, false, dir, true))
                .isInstanceOf(ConfigException.class)
                .hasMessage("toolset a: a.yaml commands[0].name: bad");
    }
}
