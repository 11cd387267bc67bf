package io.opsmcp.server.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hook that starts the deferred work runs once, after the first whole line (the initialize answer) is out. */
class LineAtomicOutputStreamTest {

    @Test
    void afterFirstLineRunsOnceTheFirstWholeLineIsWrittenAndNeverAgain() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> seenWhenRun = new ArrayList<>();
        LineAtomicOutputStream stream =
                new LineAtomicOutputStream(out);
        stream.afterFirstLine(() -> seenWhenRun.add(out.toString(StandardCharsets.UTF_8)));

        stream.write("{\"id\":1,".getBytes(StandardCharsets.UTF_8));
        assertThat(seenWhenRun).isEmpty(); // half a message is not an answer
        stream.write("\"result\":{}}".getBytes(StandardCharsets.UTF_8));
        stream.write('\n');
        stream.writeLine("{\"id\":2}");
        stream.write("{\"id\":3}\n".getBytes(StandardCharsets.UTF_8));

        assertThat(seenWhenRun).containsExactly("{\"id\":1,\"result\":{}}\n");
    }
}
