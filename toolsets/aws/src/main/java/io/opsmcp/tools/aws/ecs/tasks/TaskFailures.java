package io.opsmcp.tools.aws.ecs.tasks;

import io.opsmcp.tools.aws.common.AccountRegion;
import io.opsmcp.tools.aws.common.Text;
import io.opsmcp.tools.aws.ecs.tasks.StoppedTasks.ContainerStop;
import io.opsmcp.tools.aws.ecs.tasks.StoppedTasks.FailureClass;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Why the tasks of a service (or, with {@code service} null, of a whole cluster) stopped in a window: what
 * {@code ecs_task_failures} returns and {@code ecs_troubleshoot} reads. Classes come failures first, then by count.
 */
public record TaskFailures(
        AccountRegion where,
        String cluster,
        String service,
        String currentTaskDefinition,
        Instant since,
        int tasksExamined,
        boolean truncated,
        List<ClassSummary> classes) {

    /**
     * The tasks of one class: how many, how many ran the service's current task definition, the task groups
     * ({@code service:NAME}) they were in, and the newest examples.
     */
    public record ClassSummary(
            FailureClass type,
            int count,
            int onCurrentTaskDefinition,
            List<String> groups,
            List<StoppedTask> examples) {}

    /**
     * One stopped task: its classification's detail, the container the failure is attributed to and its exit code.
     */
    public record StoppedTask(
            String taskId,
            String group,
            String taskDefinition,
            Instant stoppedAt,
            String stopCode,
            String stoppedReason,
            String detail,
            String failingContainer,
            Integer failingExitCode,
            List<ContainerStop> containers) {}

    public TaskFailures {
        classes = List.copyOf(classes);
    }

    /** Whether any class is a failure (not scale-in, user stop or maintenance). */
    public boolean hasFailures() {
        return classes.stream().anyMatch(c -> !c.type().normal());
    }

    /** Whether tasks of this class stopped in the window. */
    public boolean has(FailureClass type) {
        return classes.stream().anyMatch(c -> c.type() == type);
    }

    /** The structured content of {@code ecs_task_failures}. */
    public ObjectNode toJson() {
        ObjectNode out = where.json();
        out.put("cluster", cluster);
        out.put("service", service);
        out.put("current_task_definition", currentTaskDefinition);
        out.put("since", since.toString());
        out.put("tasks_examined", tasksExamined);
        out.put("truncated", truncated);
        ObjectNode counts = out.putObject("counts");
        ArrayNode arr = out.putArray("classes");
        for (ClassSummary c : classes) {
            counts.put(c.type().label(), c.count());
            ObjectNode cn = arr.addObject();
            cn.put("class", c.type().label());
            cn.put("description", c.type().description());
            cn.put("normal", c.type().normal());
            cn.put("count", c.count());
            cn.put("on_current_task_definition", c.onCurrentTaskDefinition());
            ArrayNode gs = cn.putArray("groups");
            c.groups().forEach(gs::add);
            ArrayNode examples = cn.putArray("examples");
            for (StoppedTask t : c.examples()) {
                ObjectNode ex = examples.addObject();
                ex.put("task_id", t.taskId());
                ex.put("group", t.group());
                ex.put("task_definition", t.taskDefinition());
                ex.put("stopped_at", Text.iso(t.stoppedAt()));
                ex.put("stop_code", t.stopCode());
                ex.put("stopped_reason", t.stoppedReason());
                ex.put("detail", t.detail());
                ex.put("failing_container", t.failingContainer());
                ex.put("failing_exit_code", t.failingExitCode());
                ArrayNode cs = ex.putArray("containers");
                for (ContainerStop container : t.containers()) {
                    cs.addObject()
                            .put("name", container.name())
                            .put("image", container.image())
                            .put("exit_code", container.exitCode())
                            .put("reason", container.reason());
                }
            }
        }
        return out;
    }
}
