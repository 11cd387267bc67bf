package io.opsmcp.tools.system.exec;

import io.opsmcp.tools.system.catalog.CatalogEntry;
import io.opsmcp.tools.system.catalog.CatalogParameter;
import io.opsmcp.tools.system.ssh.CommandResult;
import io.opsmcp.tools.system.ssh.RemoteCommand;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Opens the path parameters of a catalog command and checks them in the same remote invocation that runs it, so
 * that nothing can be swapped between the check and the read (a directory replaced by a symbolic link after a
 * separate {@code readlink -f}). A POSIX {@code sh} script opens each path once on its own descriptor (3, 4, …),
 * reads the real path of that open descriptor from {@code /proc/$$/fd/N} and requires it to equal the path that
 * was checked against the allowlist; the command then gets {@code /proc/self/fd/N}, which re-opens the very file
 * already open (Linux proc(5): these links are not resolved by name again). When the real path differs (a link, or
 * a swap), nothing runs and the script reports the real path, so that the caller can check it against the
 * allowlist and run again with it.
 */
final class PathCheck {

    /** Descriptors 3..9: single digits, which every POSIX shell accepts in redirections. */
    static final int MAX_PATHS = 7;

    private static final String MARK = "ops-mcp-path: ";
    private static final int EXIT = 125;
    // The script is one line: SSH exec strings (RemoteCommand) carry no CR or LF.

    /**
     * A path that was not used.
     *
     * @param index  which path parameter (0-based, in the order given to {@link #wrap})
     * @param real   the real path of what was opened, or {@code null} when it could not be opened or checked
     * @param detail the shell's message for a path that could not be opened
     */
    record Refusal(int index, String real, String detail) {}

    private PathCheck() {}

    /**
     * The command with its path parameters opened and checked first.
     *
     * @param values bound values; each path in {@code paths} is the exact path to open (no link is followed)
     * @param paths  the path parameters present in {@code values}, at most {@value #MAX_PATHS}
     */
    static RemoteCommand wrap(CatalogEntry entry, Map<String, String> values, List<CatalogParameter.FilePath> paths) {
        if (paths.isEmpty() || paths.size() > MAX_PATHS) {
            throw new IllegalArgumentException("1.." + MAX_PATHS + " path parameters, not " + paths.size());
        }
        StringBuilder script = new StringBuilder();
        Map<String, String> descriptors = new HashMap<>(values);
        for (int i = 0; i < paths.size(); i++) {
            int fd = 3 + i;
            int arg = i + 1;
            // "command exec": a failed redirection must not end the shell before the marker (POSIX special built-ins)
            script.append("command exec ")
                    .append(fd)
                    .append("< \"$")
                    .append(arg)
                    .append("\" || { echo '")
                    .append(MARK)
                    .append("unreadable ")
                    .append(i)
                    .append("' >&2; exit ")
                    .append(EXIT)
                    .append("; }; ");
            // the trailing x keeps a real path that ends in newlines intact through $( )
            script.append("r=$(readlink \"/proc/$$/fd/")
                    .append(fd)
                    .append("\" && echo x) || { echo '")
                    .append(MARK)
                    .append("unchecked ")
                    .append(i)
                    .append("' >&2; exit ")
                    .append(EXIT)
                    .append("; }; ");
            script.append("r=${r%?x}; ");
            script.append("[ \"$r\" = \"$")
                    .append(arg)
                    .append("\" ] || { printf '")
                    .append(MARK)
                    .append("moved ")
                    .append(i)
                    .append("\\n%s' \"$r\" >&2; exit ")
                    .append(EXIT)
                    .append("; }; ");
            descriptors.put(paths.get(i).name(), "/proc/self/fd/" + fd);
        }
        script.append("shift ").append(paths.size()).append("; ");
        script.append("exec \"$@\"");
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script.toString(), "sh"));
        for (CatalogParameter.FilePath p : paths) {
            argv.add(values.get(p.name()));
        }
        argv.addAll(entry.render(descriptors).argv());
        return new RemoteCommand(argv);
    }

    /**
     * Whether the wrapped command refused a path (exit status {@value #EXIT} with the marker on stderr; a command
     * that imitates it can only cause a refusal).
     *
     * @return the refusal, or {@code null} when the command ran
     */
    static Refusal refusal(CommandResult result, int paths) {
        if (result.timedOut() || result.exitStatus() == null || result.exitStatus() != EXIT) {
            return null;
        }
        String err = result.stderr();
        int at = err.startsWith(MARK) ? 0 : err.indexOf("\n" + MARK);
        if (at < 0) {
            return null;
        }
        int start = at == 0 ? MARK.length() : at + 1 + MARK.length();
        int nl = err.indexOf('\n', start);
        String head = nl < 0 ? err.substring(start) : err.substring(start, nl);
        String[] words = head.strip().split(" ");
        int index;
        try {
            index = Integer.parseInt(words[1]);
        } catch (RuntimeException e) {
            return new Refusal(0, null, "the path check on the host failed");
        }
        if (index < 0 || index >= paths) {
            return new Refusal(0, null, "the path check on the host failed");
        }
        String before = err.substring(0, at).strip();
        return switch (words[0]) {
            case "moved" ->
                nl < 0
                        ? new Refusal(index, null, "the path check on the host failed")
                        : new Refusal(index, err.substring(nl + 1), "");
            case "unreadable" -> new Refusal(index, null, lastLine(before));
            default -> new Refusal(index, null, "its real path cannot be read from /proc on the host");
        };
    }

    private static String lastLine(String text) {
        int nl = text.lastIndexOf('\n');
        String last = nl < 0 ? text : text.substring(nl + 1);
        return last.length() > 300 ? last.substring(0, 300) + "…" : last;
    }
}
