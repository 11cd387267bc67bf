package io.opsmcp.tools.system.ssh;

import io.opsmcp.toolkit.redact.Redactor;
import java.nio.charset.StandardCharsets;

/**
 * What one remote command produced.
 *
 * @param exitStatus    the exit status, or {@code null} when the command was ended by a signal or timed out
 * @param stdout        standard output, at most {@link SshSettings#maxOutputBytes()} bytes
 * @param omittedBytes  standard output bytes read past the cap and dropped (0 when complete)
 * @param stderr        standard error decoded as UTF-8, at most {@link SshSettings#MAX_STDERR_BYTES} bytes
 * @param timedOut      the command was still running at its deadline and was ended on the host; the output is
 *                      what it wrote until then
 * @param elapsed       from the start of the command to its end (or to its deadline)
 */
public record CommandResult(
        Integer exitStatus,
        byte[] stdout,
        long omittedBytes,
        String stderr,
        boolean timedOut,
        java.time.Duration elapsed) {

    /** Standard output decoded as UTF-8 (malformed bytes become U+FFFD). */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public boolean truncated() {
        return omittedBytes > 0;
    }

    public boolean succeeded() {
        return exitStatus != null && exitStatus == 0;
    }

    /**
     * The last line of stderr, trimmed and redacted (before it is cut to 300 characters), or an empty string: the
     * part worth putting into an error message.
     */
    public String stderrSummary() {
        String trimmed = stderr.strip();
        int nl = trimmed.lastIndexOf('\n');
        String last = nl < 0 ? trimmed : trimmed.substring(nl + 1).strip();
        return new Redactor().cut(last, 301);
    }
}
