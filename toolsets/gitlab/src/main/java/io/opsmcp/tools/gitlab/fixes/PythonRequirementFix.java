package io.opsmcp.tools.gitlab.fixes;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adds a missing distribution to {@code requirements.txt}, pinned at the version a constraints or lock file of the
 * repository holds ({@code constraints.txt}, {@code requirements.lock}, {@code requirements-lock.txt} as
 * {@code name==version} lines; {@code poetry.lock} and {@code uv.lock} as {@code [[package]] name/version}
 * entries). Names compare normalised (PEP 503: runs of {@code -_.} are one {@code -}, case-insensitive).
 */
public final class PythonRequirementFix {

    static final String REQUIREMENTS = "requirements.txt";
    static final List<String> PIN_FILES = List.of("constraints.txt", "requirements.lock", "requirements-lock.txt");
    static final List<String> TOML_LOCKS = List.of("poetry.lock", "uv.lock");
    private static final Pattern REQUIREMENT_NAME = Pattern.compile("^\\s*([A-Za-z0-9][A-Za-z0-9._-]*)");
    private static final Pattern DISTRIBUTION = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$");

    private PythonRequirementFix() {}

    /**
     * @throws FixException when there is no requirements.txt, the name is not a distribution name, or it is listed
     *                      already
     */
    public static FileChange plan(RepoFiles files, String distribution) {
        if (distribution == null || !DISTRIBUTION.matcher(distribution).matches()) {
            throw new FixException("'" + distribution + "' is not a Python distribution name");
        }
        String before = files.read(REQUIREMENTS)
                .orElseThrow(() -> new FixException("the repository has no " + REQUIREMENTS
                        + " at the repository root; add " + distribution + " to the file the job installs from"));
        String wanted = normalise(distribution);
        for (String line : before.split("\n")) {
            if (line.strip().startsWith("#") || line.strip().startsWith("-")) {
                continue;
            }
            Matcher m = REQUIREMENT_NAME.matcher(line);
            if (m.find() && normalise(m.group(1)).equals(wanted)) {
                throw new FixException(REQUIREMENTS + " already lists " + distribution + " (" + line.strip()
                        + "); the job probably installs from another file or skips the install step");
            }
        }
        Optional<Pin> pin = pin(files, wanted);
        String line = pin.map(p -> distribution + "==" + p.version()).orElse(distribution);
        String after = before.isEmpty() || before.endsWith("\n") ? before + line + "\n" : before + "\n" + line + "\n";
        String note = pin.map(p -> "pinned at " + p.version() + " as in " + p.file())
                .orElse("not pinned: no constraints or lock file of the repository names " + distribution
                        + "; pin it after choosing a version");
        return new FileChange(REQUIREMENTS, before, after, "add " + line + " to " + REQUIREMENTS + " (" + note + ")");
    }

    private record Pin(String version, String file) {}

    private static Optional<Pin> pin(RepoFiles files, String wanted) {
        for (String file : PIN_FILES) {
            Optional<String> text = files.read(file);
            if (text.isEmpty()) {
                continue;
            }
            for (String line : text.get().split("\n")) {
                Matcher m = Pattern.compile("^\\s*([A-Za-z0-9][A-Za-z0-9._-]*)\\s*==\\s*([A-Za-z0-9.+!_-]+)")
                        .matcher(line);
                if (m.find() && normalise(m.group(1)).equals(wanted)) {
                    return Optional.of(new Pin(m.group(2), file));
                }
            }
        }
        Pattern entry = Pattern.compile("\\[\\[package\\]\\]\\s*\\nname = \"([^\"]+)\"\\s*\\nversion = \"([^\"]+)\"");
        for (String file : TOML_LOCKS) {
            Optional<String> text = files.read(file);
            if (text.isEmpty()) {
                continue;
            }
            Matcher m = entry.matcher(text.get().replace("\r\n", "\n"));
            while (m.find()) {
                if (normalise(m.group(1)).equals(wanted)) {
                    return Optional.of(new Pin(m.group(2), file));
                }
            }
        }
        return Optional.empty();
    }

    /** PEP 503 normalised name. */
    static String normalise(String name) {
        return name.replaceAll("[-_.]+", "-").toLowerCase(java.util.Locale.ROOT);
    }
}
