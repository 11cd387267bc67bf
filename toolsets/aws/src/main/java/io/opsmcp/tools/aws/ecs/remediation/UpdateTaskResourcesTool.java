package io.opsmcp.tools.aws.ecs.remediation;

import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.tools.aws.client.Accounts;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.client.Ecs;
import io.opsmcp.tools.aws.common.ApiRequest;
import io.opsmcp.tools.aws.common.AwsArgs;
import io.opsmcp.tools.aws.common.Text;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionPlacementConstraint;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;
import tools.jackson.databind.node.ObjectNode;

/** {@code ecs_update_task_resources}. */
public final class UpdateTaskResourcesTool extends EcsMutatingTool {

    static final ArgSpec<String> CONTAINER = ArgSpec.string("container")
            .pattern(AwsArgs.CONTAINER_PATTERN)
            .description("Container name in the task definition.")
            .required();
    static final ArgSpec<Integer> MEMORY =
            ArgSpec.integer("memory").range(6, 122_880).description("Hard memory limit in MiB.");
    static final ArgSpec<Integer> CPU =
            ArgSpec.integer("cpu").range(0, 196_608).description("CPU units (1024 = 1 vCPU).");

    public UpdateTaskResourcesTool(Accounts accounts) {
        super(
                accounts,
                definition(
                        "ecs_update_task_resources",
                        "Change a container's memory or CPU",
                        "Registers a task definition revision with new memory (MiB) and/or CPU units for one "
                                + "container, deploys it and waits for steady or failed.",
                        input(),
                        List.of("container"),
                        ToolAnnotations.destructive(),
                        false)); // interrupts tasks, removes nothing: not destructive to the policy
    }

    private static ObjectNode input() {
        ObjectNode p = JSON.objectNode();
        p.set("container", CONTAINER.schema());
        p.set("memory", MEMORY.schema());
        p.set("cpu", CPU.schema());
        return p;
    }

    @Override
    Plan planChange(AwsTarget t, String cluster, Service s, ObjectNode args) {
        String containerName = CONTAINER.read(args);
        Integer memory = MEMORY.read(args);
        Integer cpu = CPU.read(args);
        if (memory == null && cpu == null) {
            throw new ToolException(Kind.INVALID_ARGUMENT, "memory, cpu: give at least one of them");
        }
        TaskDefinition td = Ecs.taskDefinition(t, s.taskDefinition());
        ContainerDefinition old = td.containerDefinitions().stream()
                .filter(c -> c.name().equals(containerName))
                .findFirst()
                .orElseThrow(() -> new ToolException(
                        Kind.NOT_FOUND,
                        "container: " + containerName
                                + " is not in " + td.family() + ":" + td.revision() + "; containers: "
                                + String.join(
                                        ", ",
                                        td.containerDefinitions().stream()
                                                .map(ContainerDefinition::name)
                                                .toList())));
        ContainerDefinition.Builder nb = old.toBuilder();
        if (memory != null) {
            nb.memory(memory);
            if (old.memoryReservation() != null && old.memoryReservation() > memory) {
                nb.memoryReservation(memory);
            }
        }
        if (cpu != null) {
            nb.cpu(cpu);
        }
        ContainerDefinition updated = nb.build();
        List<ContainerDefinition> defs = td.containerDefinitions().stream()
                .map(c -> c.name().equals(containerName) ? updated : c)
                .toList();
        String taskMemory = raised(
                td.memory(),
                defs.stream().mapToInt(c -> c.memory() == null ? 0 : c.memory()).sum());
        String taskCpu = raised(
                td.cpu(),
                defs.stream().mapToInt(c -> c.cpu() == null ? 0 : c.cpu()).sum());
        RegisterTaskDefinitionRequest register = RegisterTaskDefinitionRequest.builder()
                .family(td.family())
                .taskRoleArn(td.taskRoleArn())
                .executionRoleArn(td.executionRoleArn())
                .networkMode(td.networkMode())
                .containerDefinitions(defs)
                .volumes(td.volumes())
                .placementConstraints(td.placementConstraints().stream()
                        .map(p -> TaskDefinitionPlacementConstraint.builder()
                                .type(p.type())
                                .expression(p.expression())
                                .build())
                        .toList())
                .requiresCompatibilities(td.requiresCompatibilities())
                .cpu(taskCpu)
                .memory(taskMemory)
                .pidMode(td.pidMode())
                .ipcMode(td.ipcMode())
                .proxyConfiguration(td.proxyConfiguration())
                .inferenceAccelerators(td.inferenceAccelerators())
                .ephemeralStorage(td.ephemeralStorage())
                .runtimePlatform(td.runtimePlatform())
                .enableFaultInjection(td.enableFaultInjection())
                .build();
        ObjectNode before = JSON.objectNode();
        before.put("taskDefinition", td.family() + ":" + td.revision());
        before.put("container", containerName);
        before.put("memory", old.memory());
        before.put("cpu", old.cpu());
        before.put("taskMemory", td.memory());
        before.put("taskCpu", td.cpu());
        ObjectNode after = JSON.objectNode();
        after.put("taskDefinition", td.family() + ":<next revision>");
        after.put("container", containerName);
        after.put("memory", updated.memory());
        after.put("cpu", updated.cpu());
        after.put("taskMemory", taskMemory);
        after.put("taskCpu", taskCpu);
        List<String> parts = new ArrayList<>();
        if (memory != null) {
            parts.add(containerName + " memory " + Text.str(old.memory()) + " -> " + memory + " MiB");
        }
        if (cpu != null) {
            parts.add(containerName + " cpu " + Text.str(old.cpu()) + " -> " + cpu);
        }
        if (!String.valueOf(td.memory()).equals(String.valueOf(taskMemory))) {
            parts.add("task memory " + td.memory() + " -> " + taskMemory);
        }
        if (!String.valueOf(td.cpu()).equals(String.valueOf(taskCpu))) {
            parts.add("task cpu " + td.cpu() + " -> " + taskCpu);
        }
        String summary = String.join(", ", parts) + " (new revision of " + td.family() + ", service " + s.serviceName()
                + " updated to it)";
        ObjectNode updateParams = JSON.objectNode();
        updateParams.put("cluster", cluster);
        updateParams.put("service", s.serviceName());
        updateParams.put("taskDefinition", td.family() + ":<revision returned by RegisterTaskDefinition>");
        return new Plan(
                new ChangePreview(summary, before, after),
                List.of(
                        new ApiRequest(AwsAction.ECS_REGISTER_TASK_DEFINITION, request(register)),
                        new ApiRequest(AwsAction.ECS_UPDATE_SERVICE, updateParams)),
                s,
                register,
                true);
    }

    /** The task-level value, raised to {@code needed} when it is set and lower (kept as is otherwise). */
    private static String raised(String taskLevel, int needed) {
        if (taskLevel == null || !taskLevel.matches("\\d+")) {
            return taskLevel;
        }
        return Integer.parseInt(taskLevel) < needed ? String.valueOf(needed) : taskLevel;
    }

    @Override
    ObjectNode send(AwsTarget t, String cluster, Plan plan) {
        RegisterTaskDefinitionRequest register = (RegisterTaskDefinitionRequest) plan.payload();
        TaskDefinition created = t.call(
                        AwsAction.ECS_REGISTER_TASK_DEFINITION,
                        "a new revision of " + register.family(),
                        () -> t.ecs().registerTaskDefinition(register))
                .taskDefinition();
        String revision = created.family() + ":" + created.revision();
        ObjectNode out = update(
                t,
                UpdateServiceRequest.builder()
                        .cluster(cluster)
                        .service(plan.service().serviceName())
                        .taskDefinition(created.taskDefinitionArn())
                        .build(),
                "service " + plan.service().serviceName());
        out.put("task_definition", revision);
        out.put("registered", AwsAction.ECS_REGISTER_TASK_DEFINITION.iamAction() + " -> " + revision);
        return out;
    }
}
