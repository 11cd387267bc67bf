package io.opsmcp.server.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hook that starts the deferred work runs once, after the first whole line (the initialize answer) is out; the
 * SDK's second answer to an initialize answered early is dropped, and only that line.
 */
class LineAtomicOutputStreamTest {

    @Test
    void afterFirstLineRunsOnceTheFirstWholeLineIsWrittenAndNeverAgain() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> seenWhenRun = new ArrayList<>();
        LineAtomicOutputStream stream = new LineAtomicOutputStream(out);
        stream.afterFirstLine(() -> seenWhenRun.add(out.toString(StandardCharsets.UTF_8)));

        stream.write("{\"id\":1,".getBytes(StandardCharsets.UTF_8));
        assertThat(seenWhenRun).isEmpty(); // half a message is not an answer
        stream.write("\"result\":{}}".getBytes(StandardCharsets.UTF_8));
        stream.write('\n');
        stream.writeLine("{\"id\":2}");
        stream.write("{\"id\":3}\n".getBytes(StandardCharsets.UTF_8));

        assertThat(seenWhenRun).containsExactly("{\"id\":1,\"result\":{}}\n");
    }

    @Test
    void anActionGivenAfterTheFirstLineIsOutRunsAtOnce() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LineAtomicOutputStream stream = new LineAtomicOutputStream(out);
        stream.writeLine("{\"id\":1}"); // the early initialize answer
        List<String> ran = new ArrayList<>();

        stream.afterFirstLine(() -> ran.add("ran"));

        assertThat(ran).containsExactly("ran");
    }

    @Test
    void dropOnceDropsTheFirstMatchingLineOfTheSdkAndNothingElse() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LineAtomicOutputStream stream = new LineAtomicOutputStream(out);
        List<String> tested = new ArrayList<>();
        stream.dropOnce(line -> {
            tested.add(line);
            return line.contains("\"id\":1");
        });

        stream.writeLine("{\"id\":1,\"early\":true}"); // the filter's and the early answer's lines are never tested
        stream.write("{\"method\":\"notifications/message\"}\n".getBytes(StandardCharsets.UTF_8));
        stream.write("{\"id\":1,\"sdk\":true}".getBytes(StandardCharsets.UTF_8));
        stream.write('\n');
        stream.write("{\"id\":1,\"again\":true}\n".getBytes(StandardCharsets.UTF_8));

        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"id\":1,\"early\":true}\n{\"method\":\"notifications/message\"}\n{\"id\":1,\"again\":true}\n");
        assertThat(tested).containsExactly("{\"method\":\"notifications/message\"}", "{\"id\":1,\"sdk\":true}");
    }
}
