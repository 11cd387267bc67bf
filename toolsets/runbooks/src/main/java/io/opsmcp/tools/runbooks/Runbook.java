package io.opsmcp.tools.runbooks;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One runbook: Markdown with YAML front matter.
 *
 * @param id           stable id ({@value #ID_PATTERN}); the resource is {@code runbook://ID}
 * @param title        human title
 * @param tags         search keywords
 * @param appliesTo    tools ({@code ecs_task_failures}) and finding categories ({@code gitlab:missing-python-package},
 *                     {@code ecs:out_of_memory}) it helps with
 * @param environments environments it applies to; empty means all
 * @param body         the Markdown after the front matter
 * @param source       where it was loaded from ({@code classpath:…} or a file path), for messages
 */
public record Runbook(
        String id,
        String title,
        List<String> tags,
        List<String> appliesTo,
        List<String> environments,
        String body,
        String source) {

    public static final String ID_PATTERN = "^[a-z0-9][a-z0-9-]{0,80}$";
    static final Pattern ID = Pattern.compile(ID_PATTERN);

    public Runbook {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        tags = List.copyOf(tags);
        appliesTo = List.copyOf(appliesTo);
        environments = List.copyOf(environments);
        Objects.requireNonNull(body, "body");
    }

    public String uri() {
        return "runbook://" + id;
    }

    /** The runbook as served: a heading block with its metadata, then the body. */
    public String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(title).append("\n\n");
        sb.append("- id: `").append(id).append("`\n");
        if (!tags.isEmpty()) {
            sb.append("- tags: ").append(String.join(", ", tags)).append('\n');
        }
        if (!appliesTo.isEmpty()) {
            sb.append("- applies to: ").append(String.join(", ", appliesTo)).append('\n');
        }
        sb.append("- environments: ")
                .append(environments.isEmpty() ? "all" : String.join(", ", environments))
                .append("\n\n");
        sb.append(body.strip()).append('\n');
        return sb.toString();
    }
}
