package io.opsmcp.tools.gitlab.fixes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides which PyPI distribution, if any, a failed {@code import X} calls for. A distribution is proposed only with
 * evidence of its name; everything else is reported and nothing proposed, because adding a plausible-looking name
 * to requirements.txt is how typosquatted packages get installed.
 *
 * <p>In order: the module is part of the repository (a directory or {@code X.py} anywhere in its tree: the job's
 * path or packaging is wrong) → nothing; a top-level module of the Python 3 standard library (CPython's
 * {@code sys.stdlib_module_names}, shipped) → nothing; a requirements, constraints or lock file of the repository
 * names a distribution for it ({@code requirements*.txt}, {@code constraints.txt}, {@code requirements.lock},
 * {@code requirements-lock.txt}, {@code poetry.lock}, {@code uv.lock}, {@code Pipfile.lock}; names compare per
 * PEP 503) → that distribution; a Python 2 standard-library name or the last name of a renamed Python 3 module
 * ({@code urllib2}, {@code ConfigParser}, {@code parse} for {@code urllib.parse}; PEP 3108) → nothing, the job runs
 * the wrong Python; the shipped import-name → distribution map ({@code yaml} → {@code PyYAML}, {@code cv2} →
 * {@code opencv-python}, and well-known identical names) → that distribution; otherwise nothing.
 */
public final class PythonImportResolver {

    /**
     * @param module       the import name that failed
     * @param distribution the distribution to add, or {@code null} when nothing may be proposed
     * @param why          what is known, in one sentence (for the tool result and the merge request)
     */
    public record Resolution(String module, String distribution, String why) {}

    private static final String RESOURCES = "/io/opsmcp/tools/gitlab/python/";
    private static final Set<String> STDLIB = lines(RESOURCES + "stdlib-modules.txt");
    private static final Map<String, String> PYTHON2 = properties(RESOURCES + "python2-names.properties");
    private static final Map<String, String> DISTRIBUTIONS = properties(RESOURCES + "distributions.properties");
    private static final Pattern MODULE = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,99}$");
    static final List<String> REQUIREMENT_FILES = List.of(
            "requirements.txt",
            "requirements-dev.txt",
            "requirements_dev.txt",
            "requirements-test.txt",
            "dev-requirements.txt",
            "test-requirements.txt",
            "constraints.txt",
            "requirements.lock",
            "requirements-lock.txt");
    static final List<String> TOML_LOCKS = List.of("poetry.lock", "uv.lock");
    private static final Pattern REQUIREMENT =
            Pattern.compile("(?m)^\\s*([A-Za-z0-9][A-Za-z0-9._-]*)\\s*(?:\\[|[=<>!~;@ ]|$)");
    private static final Pattern TOML_NAME = Pattern.compile("(?m)^name = \"([^\"]+)\"");
    private static final Pattern PIPFILE_NAME = Pattern.compile("(?m)^\\s{8}\"([A-Za-z0-9][A-Za-z0-9._-]*)\": \\{");

    private PythonImportResolver() {}

    /**
     * @param module the failed import's top-level name
     * @param files  the repository's files at the failing ref
     * @param tree   the repository's tree at that ref
     * @throws FixException when the tree cannot be listed completely (nothing is proposed on a guess)
     */
    public static Resolution resolve(String module, RepoFiles files, RepoTree tree) {
        if (module == null || !MODULE.matcher(module).matches()) {
            return new Resolution(module, null, "'" + module + "' is not a Python module name");
        }
        Optional<String> inRepo = tree.find(module);
        if (inRepo.isPresent()) {
            return new Resolution(
                    module,
                    null,
                    "'" + module + "' is a module of the repository itself ("
                            + inRepo.get()
                            + "); the job does not find it because of its working directory, PYTHONPATH or "
                            + "packaging (is the project installed, e.g. pip install -e ., and are its files copied into the "
                            + "image?), not because a package is missing");
        }
        if (STDLIB.contains(module)) {
            return new Resolution(
                    module,
                    null,
                    "'" + module + "' is part of the Python standard library; the job's "
                            + "interpreter is not the one the code expects (a Python 2 or a trimmed interpreter), or a local "
                            + "file shadows it");
        }
        Optional<String> listed = listed(module, files);
        if (listed.isPresent()) {
            return new Resolution(
                    module,
                    listed.get(),
                    "a requirements or lock file of the repository names " + listed.get() + " for '" + module + "'");
        }
        if (PYTHON2.containsKey(module)) {
            return new Resolution(
                    module,
                    null,
                    "'" + module + "' is a Python 2 standard-library name or the last name "
                            + "of a Python 3 one (" + PYTHON2.get(module)
                            + "); the job runs a Python version the code was "
                            + "not written for");
        }
        String known = DISTRIBUTIONS.get(module);
        if (known != null) {
            return new Resolution(module, known, "'" + module + "' is installed by the distribution " + known);
        }
        return new Resolution(
                module,
                null,
                "no requirements or lock file of the repository and no known import "
                        + "name names a distribution for '" + module
                        + "'; pick the distribution that provides it, check "
                        + "its name on PyPI, and add it pinned");
    }

    /** A distribution that a requirements/lock file lists under the module's name or its known distribution. */
    private static Optional<String> listed(String module, RepoFiles files) {
        Set<String> wanted = new LinkedHashSet<>();
        wanted.add(normalise(module));
        if (DISTRIBUTIONS.containsKey(module)) {
            wanted.add(normalise(DISTRIBUTIONS.get(module)));
        }
        for (String file : REQUIREMENT_FILES) {
            Optional<String> found = match(files.read(file), REQUIREMENT, wanted);
            if (found.isPresent()) {
                return found;
            }
        }
        for (String file : TOML_LOCKS) {
            Optional<String> found = match(files.read(file), TOML_NAME, wanted);
            if (found.isPresent()) {
                return found;
            }
        }
        return match(files.read("Pipfile.lock"), PIPFILE_NAME, wanted);
    }

    private static Optional<String> match(Optional<String> text, Pattern entry, Set<String> wanted) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = entry.matcher(text.get().replace("\r\n", "\n"));
        while (m.find()) {
            if (wanted.contains(normalise(m.group(1)))) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    /** PEP 503 normalised name. */
    static String normalise(String name) {
        return name.replaceAll("[-_.]+", "-").toLowerCase(Locale.ROOT);
    }

    /** Whether a top-level name belongs to the Python 3 standard library. */
    public static boolean isStandardLibrary(String module) {
        return STDLIB.contains(module);
    }

    private static Set<String> lines(String resource) {
        Set<String> out = new LinkedHashSet<>();
        for (String line : read(resource).split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                out.add(l);
            }
        }
        return Set.copyOf(out);
    }

    private static Map<String, String> properties(String resource) {
        Properties p = new Properties();
        try (InputStream in = PythonImportResolver.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the class path");
            }
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).strip()));
        return Map.copyOf(out);
    }

    private static String read(String resource) {
        try (InputStream in = PythonImportResolver.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
