package io.opsmcp.tools.gitlab.fixes;

/**
 * A change to one repository file.
 *
 * @param path   path in the repository
 * @param before content now
 * @param after  content after the fix
 * @param note   one line on what was changed and why (e.g. where the version came from)
 */
public record FileChange(String path, String before, String after, String note) {

    /** The change as a unified diff ({@link UnifiedDiff}). */
    public String diff() {
        return UnifiedDiff.of(path, before, after);
    }
}
