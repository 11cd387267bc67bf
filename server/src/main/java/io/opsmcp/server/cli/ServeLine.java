package io.opsmcp.server.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the plain {@code ops-mcp serve ...} command lines that stdio clients start the server with (what
 * {@code client-config} and {@code startup-cache.sh} print) into a {@link ServeCommand} without picocli: picocli's
 * classes are Java 5 class files, which no class archive (CDS, AOT cache) stores, so they are parsed and verified by
 * the old verifier at every start, and its model of {@code serve} is built by reflection — together ~20 % of the main
 * thread's work before a stdio server answers {@code initialize}.
 *
 * <p>Only a subset is read here, where picocli's reading is plain: each option spelled exactly as declared, its
 * value in the next argument or after {@code =}, each single-valued option and flag at most once, no value that
 * starts with {@code -} or {@code @} (picocli's argument files) or holds a quote, ports in plain decimal, lists
 * without empty elements. Anything else — help, version, an unknown or repeated option, a flag with a value,
 * clustered short options, {@code --} — returns {@code null} and picocli reads the line, with its messages and
 * exit codes. {@code ServeLineTest} checks that both readings give the same command for every form read here.
 */
final class ServeLine {

    private static final Pattern PORT = Pattern.compile("0|[1-9][0-9]{0,4}");
    private static final Set<String> FLAGS = Set.of("--stateless", "--sandbox", "--read-only", "--tool-discovery");
    private static final Set<String> LISTS = Set.of("--toolsets", "--tools-include", "--tools-exclude");

    private ServeLine() {}

    /**
     * @param args the whole command line, {@code serve} first
     * @return the command as picocli would build it, or {@code null} when the line is outside the plain subset
     */
    static ServeCommand parse(String... args) {
        if (args.length == 0 || !"serve".equals(args[0])) {
            return null;
        }
        ServeCommand serve = new ServeCommand();
        serve.options = new ConfigOptions();
        serve.toolList = new ToolListOptions();
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 2) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (FLAGS.contains(name)) {
                if (value != null || !seen.add(name)) {
                    return null;
                }
                flag(serve, name);
                continue;
            }
            String canonical = canonical(name);
            if (canonical == null || (!LISTS.contains(canonical) && !seen.add(canonical))) {
                return null;
            }
            if (value == null) {
                if (++i == args.length) {
                    return null;
                }
                value = args[i];
            }
            if (!plain(value) || !option(serve, canonical, value)) {
                return null;
            }
        }
        return serve;
    }

    /** The long name of a valued option of {@code serve}, or {@code null}. */
    private static String canonical(String name) {
        return switch (name) {
            case "-t", "--transport" -> "--transport";
            case "-p", "--port" -> "--port";
            case "-c", "--config" -> "--config";
            case "--bind", "--toolsets", "--data-dir", "--log-level", "--tools-include", "--tools-exclude" -> name;
            default -> null;
        };
    }

    private static boolean plain(String value) {
        return !value.isEmpty()
                && !value.startsWith("-")
                && !value.startsWith("@")
                && value.indexOf('"') < 0
                && value.indexOf('\'') < 0;
    }

    private static void flag(ServeCommand serve, String name) {
        switch (name) {
            case "--stateless" -> serve.stateless = true;
            case "--sandbox" -> serve.options.sandbox = Boolean.TRUE;
            case "--read-only" -> serve.toolList.readOnly = Boolean.TRUE;
            case "--tool-discovery" -> serve.toolList.discovery = Boolean.TRUE;
            default -> throw new IllegalArgumentException(name);
        }
    }

    /** Sets the option; {@code false} when its value needs picocli's reading. */
    private static boolean option(ServeCommand serve, String name, String value) {
        switch (name) {
            case "--transport" -> serve.transport = value;
            case "--bind" -> serve.bind = value;
            case "--port" -> {
                if (!PORT.matcher(value).matches()) {
                    return false;
                }
                serve.port = Integer.valueOf(value);
            }
            case "--config" -> {
                serve.options.config = path(value);
                return serve.options.config != null;
            }
            case "--data-dir" -> {
                serve.options.dataDir = path(value);
                return serve.options.dataDir != null;
            }
            case "--log-level" -> serve.options.logLevel = value;
            case "--toolsets" -> {
                if (value.startsWith(",") || value.endsWith(",") || value.contains(",,")) {
                    return false;
                }
                if (serve.options.toolsets == null) {
                    serve.options.toolsets = new ArrayList<>();
                }
                serve.options.toolsets.addAll(List.of(value.split(",")));
            }
            case "--tools-include" -> serve.toolList.include = add(serve.toolList.include, value);
            case "--tools-exclude" -> serve.toolList.exclude = add(serve.toolList.exclude, value);
            default -> throw new IllegalArgumentException(name);
        }
        return true;
    }

    /** picocli's conversion, {@code Path.of}; {@code null} (picocli reports it) when it is not a path. */
    private static Path path(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static List<String> add(List<String> list, String value) {
        List<String> out = list == null ? new ArrayList<>() : list;
        out.add(value);
        return out;
    }
}
