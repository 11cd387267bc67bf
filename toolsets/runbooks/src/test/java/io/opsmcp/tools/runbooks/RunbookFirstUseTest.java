package io.opsmcp.tools.runbooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Without operator directories the shipped library is parsed by its first use, not when the toolset is made (issue 16:
 * ~30 ms of the stdio start before {@code initialize} is answered); concurrent first uses share one parse, and a
 * library that cannot be parsed fails every use with the reason.
 */
class RunbookFirstUseTest {

    /** The shipped loader, counting its loads; {@code fail} makes every load throw as a broken file would. */
    static final class CountingLoader extends RunbookLoader {
        final AtomicInteger loads = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);
        final boolean fail;

        CountingLoader(boolean fail) {
            this.fail = fail;
        }

        @Override
        List<Runbook> load(List<Path> directories) {
            loads.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS); // holds the parse until every first use is waiting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (fail) {
                throw new IllegalArgumentException("classpath:runbooks/x.md: id 'X' must match " + Runbook.ID_PATTERN);
            }
            return super.load(directories);
        }
    }

    @Test
    void concurrentFirstUsesShareOneParseMadeAfterConstruction() throws Exception {
        CountingLoader loader = new CountingLoader(false);
        RunbookToolset toolset = new RunbookToolset(loader, List.of(), Duration.ZERO);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            assertThat(loader.loads).as("parsed at construction").hasValue(0);
            List<Future<List<String>>> uses = new ArrayList<>();
            uses.add(pool.submit(
                    () -> toolset.runbooks().stream().map(Runbook::id).toList()));
            uses.add(pool.submit(() -> toolset.completeIds("")));
            uses.add(pool.submit(
                    () -> List.of(toolset.resources().get(0).read(null).text())));
            uses.add(pool.submit(() -> toolset.search("disk", null, 3).stream()
                    .map(h -> h.runbook().id())
                    .toList()));
            Thread.sleep(200); // the four are waiting for the parse (or about to)
            loader.release.countDown();
            List<List<String>> seen = new ArrayList<>();
            for (Future<List<String>> use : uses) {
                seen.add(use.get(60, TimeUnit.SECONDS));
            }

            assertThat(loader.loads).as("one parse").hasValue(1);
            List<String> shipped = new RunbookLoader()
                    .load(List.of()).stream().map(Runbook::id).toList();
            assertThat(seen.get(0)).isEqualTo(shipped).isNotEmpty();
            assertThat(seen.get(1)).containsExactlyInAnyOrderElementsOf(shipped);
            assertThat(seen.get(2).get(0)).contains("runbook://" + shipped.get(0));
            assertThat(seen.get(3)).isNotEmpty();
        } finally {
            pool.shutdownNow();
            toolset.close();
        }
    }

    @Test
    void aLibraryThatCannotBeParsedFailsEveryUseWithTheReasonAndIsParsedOnce() {
        CountingLoader loader = new CountingLoader(true);
        loader.release.countDown();
        RunbookToolset toolset = new RunbookToolset(loader, List.of(), Duration.ZERO);
        try {
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(toolset::runbooks)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("classpath:runbooks/x.md: id 'X' must match " + Runbook.ID_PATTERN);
                assertThatThrownBy(() -> toolset.completeIds("d")).hasMessageContaining("classpath:runbooks/x.md");
            }
            assertThat(loader.loads).hasValue(1);
        } finally {
            toolset.close();
        }
    }

    @Test
    void withOperatorDirectoriesAnInvalidFileStillFailsTheConstruction(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        java.nio.file.Files.writeString(dir.resolve("bad.md"), "no front matter\n");
        CountingLoader loader = new CountingLoader(false);
        loader.release.countDown();

        assertThatThrownBy(() -> new RunbookToolset(loader, List.of(dir), Duration.ZERO))
                .hasMessageContaining("bad.md")
                .hasMessageContaining("must start with YAML front matter");
        assertThat(loader.loads).hasValue(1);
    }
}
