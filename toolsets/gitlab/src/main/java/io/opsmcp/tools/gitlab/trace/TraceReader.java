package io.opsmcp.tools.gitlab.trace;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a job trace as a stream of cleaned lines with bounded memory: one line of at most {@value #MAX_LINE_CHARS}
 * characters is held at a time (the rest of a longer line is dropped and counted), whatever the trace's size.
 * Lines end at {@code \n}; a lone {@code \r} stays inside the line for {@link TraceCleaner} (GitLab's section
 * markers use it).
 */
public final class TraceReader {

    /** Longest line kept; longer lines are cut and end with a note. */
    public static final int MAX_LINE_CHARS = 4000;

    private static final int DEADLINE_CHECK_LINES = 2048;
    private static final Pattern SECTION = Pattern.compile("section_(start|end):\\d+:([A-Za-z0-9_.\\-]+)");

    /** Receives each visible line. */
    @FunctionalInterface
    public interface LineSink {
        void line(long number, String text);

        /**
         * A GitLab section marker ({@code section_start:TS:NAME} / {@code section_end:TS:NAME}) on raw line
         * {@code number}, reported before that line's visible text (if any).
         */
        default void section(long number, String name, boolean start) {}
    }

    /**
     * @param lines    raw lines read
     * @param chars    characters read
     * @param cutLines lines longer than {@value #MAX_LINE_CHARS} characters that were cut
     */
    public record Stats(long lines, long chars, long cutLines) {}

    private TraceReader() {}

    /**
     * Reads the stream to its end (UTF-8, malformed bytes replaced), giving every visible line to {@code sink}.
     *
     * @throws ToolException {@code TIMEOUT} when the deadline passes while reading, {@code UNAVAILABLE} on I/O errors
     */
    public static Stats read(InputStream in, Instant deadline, Clock clock, LineSink sink) {
        Reader reader = new InputStreamReader(
                in,
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE));
        char[] buf = new char[16384];
        StringBuilder line = new StringBuilder(256);
        long number = 0;
        long chars = 0;
        long cut = 0;
        long dropped = 0;
        try {
            int n;
            while ((n = reader.read(buf)) > 0) {
                chars += n;
                for (int i = 0; i < n; i++) {
                    char c = buf[i];
                    if (c == '\n') {
                        number++;
                        if (dropped > 0) {
                            cut++;
                        }
                        emit(sink, number, line, dropped);
                        line.setLength(0);
                        dropped = 0;
                        if (number % DEADLINE_CHECK_LINES == 0
                                && clock.instant().isAfter(deadline)) {
                            throw new ToolException(
                                    Kind.TIMEOUT,
                                    "reading the job trace did not finish before the " + "call's deadline (" + number
                                            + " lines read)");
                        }
                    } else if (line.length() < MAX_LINE_CHARS) {
                        line.append(c);
                    } else {
                        dropped++;
                    }
                }
            }
        } catch (IOException e) {
            throw new ToolException(
                    Kind.UNAVAILABLE,
                    "reading the job trace failed: " + e.getClass().getSimpleName());
        } catch (UncheckedIOException e) {
            throw new ToolException(
                    Kind.UNAVAILABLE,
                    "reading the job trace failed: " + e.getCause().getClass().getSimpleName());
        }
        if (line.length() > 0 || dropped > 0) {
            number++;
            if (dropped > 0) {
                cut++;
            }
            emit(sink, number, line, dropped);
        }
        return new Stats(number, chars, cut);
    }

    private static void emit(LineSink sink, long number, StringBuilder raw, long dropped) {
        String rawText = raw.toString();
        if (rawText.contains("section_")) {
            Matcher m = SECTION.matcher(rawText);
            while (m.find()) {
                sink.section(number, m.group(2), m.group(1).equals("start"));
            }
        }
        String text = TraceCleaner.clean(rawText);
        if (text != null) {
            sink.line(number, dropped > 0 ? text + " […" + dropped + " characters cut]" : text);
        }
    }
}
