package io.opsmcp.tools.deployments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a running revision says it came from, read from the resource tags (convention in the module README) and
 * the image tag. Task definition tags win over service tags: they belong to the revision that runs, while a
 * service tag can be left behind by a rollback made outside the pipeline.
 *
 * @param project  the GitLab project named by a tag or the {@code project} argument, or null
 * @param commit   the commit named by a tag, or else the sha found in the image tag, or null
 * @param pipeline the pipeline named by a tag, or null
 * @param notes    conflicts and ignored values, for the report
 */
record SourceHints(Hint project, Hint commit, Hint pipeline, List<String> notes) {

    /** Tag naming the GitLab project (path or numeric id). */
    static final String PROJECT_TAG = "gitlab.project";
    /** Tag naming the commit sha the image was built from. */
    static final String COMMIT_TAG = "gitlab.commit";
    /** Optional tag naming the pipeline that built and deployed it. */
    static final String PIPELINE_TAG = "gitlab.pipeline";

    private static final String SHA = "^[0-9a-f]{7,40}$";

    /**
     * One value and where it was read.
     *
     * @param value the value
     * @param from  {@code task definition tag gitlab.commit}, {@code image tag}, {@code argument project}, …
     */
    record Hint(String value, String from) {}

    SourceHints {
        notes = List.copyOf(notes);
    }

    /**
     * @param projectArgument the tool's {@code project} argument, used only when no tag names a project
     */
    static SourceHints of(RunningRevision rev, String projectArgument) {
        List<String> notes = new ArrayList<>();
        Hint project = tag(rev, PROJECT_TAG, notes);
        if (project == null && projectArgument != null) {
            project = new Hint(projectArgument, "argument project");
        } else if (project != null && projectArgument != null && !projectArgument.equals(project.value())) {
            notes.add("argument project " + projectArgument + " ignored: the " + project.from() + " names "
                    + project.value());
        }
        Hint commit = tag(rev, COMMIT_TAG, notes);
        if (commit != null) {
            String sha = commit.value().toLowerCase(Locale.ROOT);
            if (sha.matches(SHA)) {
                commit = new Hint(sha, commit.from());
            } else {
                notes.add(commit.from() + " '" + commit.value() + "' ignored: not a commit sha (7 to 40 hex digits)");
                commit = null;
            }
        }
        if (commit == null) {
            commit = rev.image()
                    .commitInTag()
                    .map(sha -> new Hint(sha, "image tag " + rev.image().tag()))
                    .orElse(null);
        } else {
            String fromImage = rev.image().commitInTag().orElse(null);
            if (fromImage != null && !commit.value().startsWith(fromImage) && !fromImage.startsWith(commit.value())) {
                notes.add("image tag " + rev.image().tag() + " does not match " + commit.from() + " " + commit.value()
                        + "; the " + commit.from() + " is used");
            }
        }
        Hint pipeline = tag(rev, PIPELINE_TAG, notes);
        if (pipeline != null && !pipeline.value().matches("^[1-9][0-9]{0,17}$")) {
            notes.add(pipeline.from() + " '" + pipeline.value() + "' ignored: not a pipeline id");
            pipeline = null;
        }
        return new SourceHints(project, commit, pipeline, notes);
    }

    private static Hint tag(RunningRevision rev, String key, List<String> notes) {
        String onRevision = nonBlank(rev.taskDefinitionTags(), key);
        String onService = nonBlank(rev.serviceTags(), key);
        if (onRevision != null) {
            if (onService != null && !onService.equals(onRevision)) {
                notes.add("service tag " + key + "=" + onService + " differs from task definition tag " + key + "="
                        + onRevision + "; the task definition's is used (it belongs to the running revision)");
            }
            return new Hint(onRevision, "task definition tag " + key);
        }
        return onService == null ? null : new Hint(onService, "service tag " + key);
    }

    private static String nonBlank(Map<String, String> tags, String key) {
        String v = tags.get(key);
        return v == null || v.isBlank() ? null : v;
    }
}
