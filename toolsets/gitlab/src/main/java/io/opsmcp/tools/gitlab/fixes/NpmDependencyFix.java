package io.opsmcp.tools.gitlab.fixes;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Adds a missing package to {@code package.json} at {@code ^VERSION}, VERSION being what {@code package-lock.json}
 * holds (lockfile v2/v3 {@code packages["node_modules/NAME"]}, v1 {@code dependencies[NAME]}); into
 * {@code devDependencies} when the lock marks it {@code dev}, else {@code dependencies}. The file is edited as text
 * (the entry inserted in alphabetical order with the file's indentation), so the diff is one line.
 */
public final class NpmDependencyFix {

    static final String PACKAGE_JSON = "package.json";
    static final String LOCK = "package-lock.json";
    private static final List<String> SECTIONS =
            List.of("dependencies", "devDependencies", "peerDependencies", "optionalDependencies");
    private static final Pattern NAME = Pattern.compile("^(?:@[a-z0-9._-]+/)?[a-z0-9][a-z0-9._-]{0,213}$");
    private static final Pattern ENTRY = Pattern.compile("(?m)^([ \\t]*)\"([^\"]+)\"\\s*:");
    /** Node.js built-in modules ({@code require('module').builtinModules}, Node 20), never npm packages. */
    static final Set<String> NODE_BUILTINS = Set.of(
            "assert",
            "async_hooks",
            "buffer",
            "child_process",
            "cluster",
            "console",
            "constants",
            "crypto",
            "dgram",
            "diagnostics_channel",
            "dns",
            "domain",
            "events",
            "fs",
            "http",
            "http2",
            "https",
            "inspector",
            "module",
            "net",
            "os",
            "path",
            "perf_hooks",
            "process",
            "punycode",
            "querystring",
            "readline",
            "repl",
            "stream",
            "string_decoder",
            "sys",
            "timers",
            "tls",
            "trace_events",
            "tty",
            "url",
            "util",
            "v8",
            "vm",
            "wasi",
            "worker_threads",
            "zlib");

    private NpmDependencyFix() {}

    /**
     * @throws FixException when the name is a Node.js built-in or the repository's own package, the files are missing,
     *                      the package is listed already, or the lock has no version (the only evidence of the
     *                      package's name and version that is accepted)
     */
    public static FileChange plan(RepoFiles files, String name, JsonMapper json) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new FixException("'" + name + "' is not an npm package name");
        }
        if (NODE_BUILTINS.contains(name)) {
            throw new FixException("'" + name + "' is a Node.js built-in module, not an npm package; the job's Node.js "
                    + "version or its bundler target (browser vs node) is wrong");
        }
        String before = files.read(PACKAGE_JSON)
                .orElseThrow(() -> new FixException("the repository has no " + PACKAGE_JSON + " at its root"));
        JsonNode pkg = parse(json, before, PACKAGE_JSON);
        if (name.equals(pkg.path("name").asString(""))) {
            throw new FixException("'" + name + "' is the repository's own package; the job imports it before it is "
                    + "built or linked");
        }
        for (String section : SECTIONS) {
            if (pkg.path(section).has(name)) {
                throw new FixException(PACKAGE_JSON + " already lists " + name + " in " + section
                        + "; the job probably skips `npm ci` or uses another directory");
            }
        }
        String lockText = files.read(LOCK)
                .orElseThrow(() -> new FixException("the repository has no " + LOCK + "; add " + name
                        + " with `npm install " + name + "` so the version is chosen and locked"));
        JsonNode lock = parse(json, lockText, LOCK);
        JsonNode entry = lock.path("packages").path("node_modules/" + name);
        if (entry.isMissingNode()) {
            entry = lock.path("dependencies").path(name);
        }
        String version = entry.path("version").asString("");
        if (version.isEmpty()) {
            throw new FixException(LOCK + " has no entry for " + name + "; add it with `npm install " + name
                    + "` so the version is chosen and locked");
        }
        String section = entry.path("dev").asBoolean(false) ? "devDependencies" : "dependencies";
        String after = insert(before, section, name, "^" + version);
        return new FileChange(
                PACKAGE_JSON,
                before,
                after,
                "add \"" + name + "\": \"^" + version + "\" to " + section + " of " + PACKAGE_JSON + " (version from "
                        + LOCK + ")");
    }

    private static JsonNode parse(JsonMapper json, String text, String file) {
        try {
            return json.readTree(text);
        } catch (JacksonException e) {
            throw new FixException(file + " is not valid JSON");
        }
    }

    /** Inserts {@code "name": "value"} into the section object of a JSON text, creating the section if needed. */
    static String insert(String text, String section, String name, String value) {
        Matcher open = Pattern.compile("\"" + Pattern.quote(section) + "\"\\s*:\\s*\\{")
                .matcher(text);
        if (!open.find()) {
            int end = text.lastIndexOf('}');
            int last = end - 1;
            while (last >= 0 && Character.isWhitespace(text.charAt(last))) {
                last--;
            }
            boolean empty = last >= 0 && text.charAt(last) == '{';
            String indent = indentOfFirstKey(text, "  ");
            return text.substring(0, last + 1) + (empty ? "" : ",") + "\n" + indent + "\"" + section + "\": {\n"
                    + indent + indent + "\"" + name + "\": \"" + value + "\"\n" + indent + "}\n" + text.substring(end);
        }
        int bodyStart = open.end();
        int bodyEnd = text.indexOf('}', bodyStart);
        String body = text.substring(bodyStart, bodyEnd);
        String sectionIndent = lineIndent(text, open.start());
        Matcher entries = ENTRY.matcher(body);
        String indent = null;
        int insertAt = -1;
        int lastEntryLineEnd = -1;
        while (entries.find()) {
            indent = indent == null ? entries.group(1) : indent;
            if (insertAt < 0 && entries.group(2).compareTo(name) > 0) {
                insertAt = bodyStart + entries.start();
            }
            int lineEnd = body.indexOf('\n', entries.end());
            lastEntryLineEnd = bodyStart + (lineEnd < 0 ? body.length() : lineEnd);
        }
        if (indent == null) {
            return text.substring(0, bodyStart) + "\n" + sectionIndent + "  \"" + name + "\": \"" + value + "\"\n"
                    + sectionIndent + text.substring(bodyEnd);
        }
        String line = indent + "\"" + name + "\": \"" + value + "\"";
        if (insertAt >= 0) {
            return text.substring(0, insertAt) + line + ",\n" + text.substring(insertAt);
        }
        int lineEnd = lastEntryLineEnd;
        int contentEnd = lineEnd;
        while (contentEnd > bodyStart && Character.isWhitespace(text.charAt(contentEnd - 1))) {
            contentEnd--;
        }
        return text.substring(0, contentEnd) + ",\n" + line + text.substring(contentEnd);
    }

    private static String lineIndent(String text, int pos) {
        int start = text.lastIndexOf('\n', pos) + 1;
        int i = start;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return text.substring(start, i);
    }

    private static String indentOfFirstKey(String text, String fallback) {
        Matcher m = ENTRY.matcher(text);
        return m.find() ? m.group(1) : fallback;
    }
}
