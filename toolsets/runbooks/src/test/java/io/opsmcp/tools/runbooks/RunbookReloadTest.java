package io.opsmcp.tools.runbooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.opsmcp.tools.runbooks.RunbookToolset.ReloadOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code runbooks.directories} reloaded on change, like the policy bundle: a changed set is served whole once every
 * file in it is valid; an invalid one is logged once naming the file and the rule, and the last good set stays.
 */
class RunbookReloadTest {

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(RunbookToolset.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logs);
    }

    static String runbook(String id, String title, String body) {
        return "---\nid: " + id + "\ntitle: " + title + "\ntags: [test]\n---\n## When\n\n" + body + "\n";
    }

    static int shipped() {
        return new RunbookLoader().load(List.of()).size();
    }

    RunbookToolset never() {
        return new RunbookToolset(new RunbookLoader(), List.of(dir), Duration.ZERO);
    }

    static List<String> hits(RunbookToolset t, String query) {
        return t.search(query, null, 5).stream().map(h -> h.runbook().id()).toList();
    }

    List<String> errors() {
        return logs.list.stream()
                .filter(e -> e.getLevel() == Level.ERROR)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void aNewRunbookIsServedAfterReloadAndUnchangedFilesAreNotReloaded() throws Exception {
        Files.writeString(dir.resolve("a.md"), runbook("op-alpha", "Alpha procedure", "Restart the quokka."));
        try (RunbookToolset t = never()) {
            assertThat(hits(t, "quokka")).containsExactly("op-alpha");
            assertThat(hits(t, "wombat")).isEmpty();
            assertThat(t.reload()).isEqualTo(ReloadOutcome.UNCHANGED);

            Files.createDirectories(dir.resolve("team"));
            Files.writeString(dir.resolve("team/b.md"), runbook("op-beta", "Beta procedure", "Feed the wombat."));
            assertThat(t.reload()).isEqualTo(ReloadOutcome.RELOADED);
            assertThat(hits(t, "wombat")).containsExactly("op-beta");
            assertThat(t.require("op-beta").title()).isEqualTo("Beta procedure");
            assertThat(t.completeIds("op-")).containsExactly("op-alpha", "op-beta");
            assertThat(t.reload()).isEqualTo(ReloadOutcome.UNCHANGED);

            // an edit replaces the text, a deletion removes the runbook
            Files.writeString(dir.resolve("a.md"), runbook("op-alpha", "Alpha procedure", "Calm the numbat."));
            Files.delete(dir.resolve("team/b.md"));
            assertThat(t.reload()).isEqualTo(ReloadOutcome.RELOADED);
            assertThat(hits(t, "numbat")).containsExactly("op-alpha");
            assertThat(hits(t, "quokka")).isEmpty();
            assertThatThrownBy(() -> t.require("op-beta")).hasMessageContaining("no runbook with id 'op-beta'");
            // the shipped library stays
            assertThat(t.require("host-disk-full")).isNotNull();
        }
        assertThat(errors()).isEmpty();
    }

    @Test
    void anInvalidRunbookKeepsTheLastGoodSetAndIsLoggedOnceNamingTheFile() throws Exception {
        Files.writeString(dir.resolve("a.md"), runbook("op-alpha", "Alpha procedure", "Restart the quokka."));
        try (RunbookToolset t = never()) {
            Files.writeString(dir.resolve("a.md"), runbook("op-alpha", "Alpha procedure", "Calm the numbat."));
            Files.writeString(dir.resolve("broken.md"), runbook("Not_An_Id", "Broken", "Feed the wombat."));
            assertThat(t.reload()).isEqualTo(ReloadOutcome.KEPT_LAST_GOOD);
            // nothing of the changed set is served, not even the valid edit
            assertThat(hits(t, "quokka")).containsExactly("op-alpha");
            assertThat(hits(t, "numbat")).isEmpty();
            assertThat(hits(t, "wombat")).isEmpty();
            assertThat(errors())
                    .singleElement()
                    .asString()
                    .contains("NOT reloaded")
                    .contains("still serving")
                    .contains(dir.resolve("broken.md").toString())
                    .contains("id 'Not_An_Id' must match");

            // polled again with the same broken contents: not logged again
            assertThat(t.reload()).isEqualTo(ReloadOutcome.KEPT_LAST_GOOD);
            assertThat(errors()).hasSize(1);

            // two files with one id, then the directory gone: still the last good set
            Files.writeString(dir.resolve("broken.md"), runbook("op-alpha", "Twin", "Twin of alpha."));
            assertThat(t.reload()).isEqualTo(ReloadOutcome.KEPT_LAST_GOOD);
            assertThat(errors().get(1)).contains("id 'op-alpha' is used by both");

            Files.writeString(dir.resolve("broken.md"), runbook("op-gamma", "Gamma", "Feed the wombat."));
            assertThat(t.reload()).isEqualTo(ReloadOutcome.RELOADED);
            assertThat(hits(t, "numbat")).containsExactly("op-alpha");
            assertThat(hits(t, "wombat")).containsExactly("op-gamma");

            Files.delete(dir.resolve("a.md"));
            Files.delete(dir.resolve("broken.md"));
            Files.delete(dir);
            assertThat(t.reload()).isEqualTo(ReloadOutcome.KEPT_LAST_GOOD);
            assertThat(errors().get(2)).contains("is not a directory");
            assertThat(hits(t, "wombat")).containsExactly("op-gamma");
        }
    }

    @Test
    void thePollerReloadsAndSearchesNeverSeeAHalfLoadedSet() throws Exception {
        Files.writeString(dir.resolve("a.md"), runbook("op-alpha", "Alpha procedure", "Restart the quokka."));
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        settings.putObject("runbooks")
                .put("reload_interval", "1s")
                .putArray("directories")
                .add(dir.toString());
        try (RunbookToolset t = (RunbookToolset) new RunbookToolsetProvider().create(settings, dir)) {
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService readers = Executors.newFixedThreadPool(2);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                results.add(readers.submit(() -> {
                    int n = 0;
                    while (!stop.get()) {
                        // either set, never an error and never a mix: op-alpha is in both
                        assertThat(hits(t, "quokka")).containsExactly("op-alpha");
                        n++;
                    }
                    return n;
                }));
            }
            Files.writeString(dir.resolve("b.md"), runbook("op-beta", "Beta procedure", "Feed the wombat."));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (hits(t, "wombat").isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            stop.set(true);
            for (Future<Integer> f : results) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isPositive();
            }
            readers.shutdownNow();
            assertThat(hits(t, "wombat")).containsExactly("op-beta");
        }
        assertThat(logs.list.stream().map(ILoggingEvent::getFormattedMessage))
                .anyMatch(m -> m.contains("reloaded: " + (shipped() + 2) + " runbooks (was " + (shipped() + 1) + ")"));
    }
}
