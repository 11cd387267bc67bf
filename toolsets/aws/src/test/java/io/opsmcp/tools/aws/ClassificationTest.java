package io.opsmcp.tools.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.tools.aws.common.Text;
import io.opsmcp.tools.aws.ecs.services.ServiceEvents;
import io.opsmcp.tools.aws.ecs.services.ServiceEvents.EventClass;
import io.opsmcp.tools.aws.ecs.tasks.StoppedTasks;
import io.opsmcp.tools.aws.ecs.tasks.StoppedTasks.ContainerStop;
import io.opsmcp.tools.aws.ecs.tasks.StoppedTasks.FailureClass;
import io.opsmcp.tools.aws.logs.LogScanner;
import io.opsmcp.tools.aws.metrics.MetricsReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stopped-task and service-event classification on messages worded as ECS writes them, and log signatures. */
class ClassificationTest {

    private static FailureClass task(String stopCode, String reason, ContainerStop... containers) {
        return StoppedTasks.classify(stopCode, reason, List.of(containers)).type();
    }

    @Test
    void everyStoppedTaskClass() {
        assertThat(task(
                        "EssentialContainerExited",
                        "Essential container in task exited",
                        new ContainerStop("app", "img", 137, "OutOfMemoryError: Container killed due to memory usage")))
                .isEqualTo(FailureClass.OUT_OF_MEMORY);
        // 137 alone is SIGKILL (the OOM killer or the kill after stopTimeout): not out of memory without a reason
        assertThat(task(
                        "EssentialContainerExited",
                        "Essential container in task exited",
                        new ContainerStop("app", "img", 137, null)))
                .isEqualTo(FailureClass.ESSENTIAL_CONTAINER_EXITED);
        var pull = StoppedTasks.classify(
                "TaskFailedToStart",
                "CannotPullContainerError: pull image manifest has been "
                        + "retried 5 time(s): failed to resolve ref repo/app:9: not found",
                List.of(new ContainerStop("app", "repo/app:9", null, null)));
        assertThat(pull.type()).isEqualTo(FailureClass.IMAGE_PULL);
        assertThat(pull.detail())
                .startsWith("image repo/app:9: pull image manifest")
                .endsWith("not found");
        var secrets = StoppedTasks.classify(
                "TaskFailedToStart",
                "ResourceInitializationError: unable to pull secrets or "
                        + "registry auth: execution resource retrieval failed",
                List.of());
        assertThat(secrets.type()).isEqualTo(FailureClass.RESOURCE_INITIALIZATION);
        assertThat(secrets.detail()).startsWith("secrets:");
        assertThat(StoppedTasks.classify(
                                "TaskFailedToStart",
                                "ResourceInitializationError: failed to initialize " + "logging driver",
                                List.of())
                        .detail())
                .startsWith("log_driver:");
        assertThat(task("TaskFailedToStart", "Task failed container health checks"))
                .isEqualTo(FailureClass.CONTAINER_HEALTH_CHECK);
        assertThat(task("ServiceSchedulerInitiated", "Task failed ELB health checks in (target-group arn:aws:x)"))
                .isEqualTo(FailureClass.ELB_HEALTH_CHECK);
        assertThat(task("SpotInterruption", "Your Spot Task was interrupted."))
                .isEqualTo(FailureClass.SPOT_INTERRUPTION);
        var exited = StoppedTasks.classify(
                "EssentialContainerExited",
                "Essential container in task exited",
                List.of(new ContainerStop("app", "img", 1, null)));
        assertThat(exited.type()).isEqualTo(FailureClass.ESSENTIAL_CONTAINER_EXITED);
        assertThat(exited.detail()).isEqualTo("container app exited with code 1");
        assertThat(task("ServiceSchedulerInitiated", "Scaling activity initiated by (deployment ecs-svc/123)"))
                .isEqualTo(FailureClass.SCALE_IN);
        assertThat(task("UserInitiated", "Task stopped by user")).isEqualTo(FailureClass.USER_STOP);
        assertThat(FailureClass.SCALE_IN.normal()).isTrue();
        assertThat(FailureClass.USER_STOP.normal()).isTrue();
        assertThat(task("TaskFailedToStart", "Timeout waiting for network interface provisioning to complete."))
                .isEqualTo(FailureClass.ENI_PROVISIONING);
        assertThat(task("TaskFailedToStart", "Something unheard of")).isEqualTo(FailureClass.OTHER);
    }

    @Test
    void newerStoppedTaskClassesMatchWordsNotSubstrings() {
        assertThat(
                        task(
                                "TaskFailedToStart",
                                "CannotStartContainerError: ResourceInitializationError: failed to create "
                                        + "new container runtime task: OCI runtime create failed: exec: \"/app/start.sh\": permission denied"))
                .isEqualTo(FailureClass.CANNOT_START_CONTAINER);
        assertThat(task(
                        "TaskFailedToStart",
                        "CannotInspectContainerError: Could not transition to inspecting; timed out "
                                + "after waiting 30s"))
                .isEqualTo(FailureClass.HOST_PROBLEM);
        assertThat(task(
                        "TaskFailedToStart",
                        "ContainerRuntimeTimeoutError: Could not transition to running; timed out "
                                + "after waiting 1m"))
                .isEqualTo(FailureClass.HOST_PROBLEM);
        // "denied" contains "eni": a secrets AccessDenied stays a secrets problem
        assertThat(StoppedTasks.classify(
                                "TaskFailedToStart",
                                "ResourceInitializationError: unable to retrieve secret "
                                        + "from asm: AccessDeniedException: permission denied",
                                List.of())
                        .detail())
                .startsWith("secrets:");
        assertThat(StoppedTasks.classify(
                                "TaskFailedToStart",
                                "ResourceInitializationError: failed to validate logger " + "args: permission denied",
                                List.of())
                        .detail())
                .startsWith("log_driver:");
        assertThat(task("TerminationNotice", "Task stopped due to task retirement"))
                .isEqualTo(FailureClass.MAINTENANCE);
        assertThat(task(
                        "ServiceSchedulerInitiated",
                        "ECS is performing maintenance on the underlying infrastructure " + "hosting the task"))
                .isEqualTo(FailureClass.MAINTENANCE);
        assertThat(FailureClass.MAINTENANCE.normal()).isTrue();
    }

    @Test
    void failureIsAttributedToTheContainerThatFailedFirstNotTheSidecarKilledAfterwards() {
        var c = StoppedTasks.classify(
                "EssentialContainerExited",
                "Essential container in task exited",
                List.of(new ContainerStop("envoy", "envoy", 137, null), new ContainerStop("app", "app", 1, null)));
        assertThat(c.type()).isEqualTo(FailureClass.ESSENTIAL_CONTAINER_EXITED);
        assertThat(c.container()).isEqualTo("app");
        assertThat(c.exitCode()).isEqualTo(1);
        var oom = StoppedTasks.classify(
                "EssentialContainerExited",
                "Essential container in task exited",
                List.of(
                        new ContainerStop("datadog-agent", "dd", 137, null),
                        new ContainerStop(
                                "app", "app", 137, "OutOfMemoryError: Container killed due to memory usage")));
        assertThat(oom.type()).isEqualTo(FailureClass.OUT_OF_MEMORY);
        assertThat(oom.container()).isEqualTo("app");
        var nonEssential = StoppedTasks.classify(
                "EssentialContainerExited",
                "Essential container in task exited",
                List.of(new ContainerStop("log_router", "fb", 2, null), new ContainerStop("app", "app", 3, null)),
                java.util.Set.of("log_router"));
        assertThat(nonEssential.container()).isEqualTo("app");
    }

    @Test
    void eventWordsAndPhrases() {
        var iam =
                ServiceEvents.classify("(service web) failed to launch a task with (error ECS was unable to assume the "
                        + "role 'arn:aws:iam::1:role/x' that was provided for this task.).");
        assertThat(iam.type()).isEqualTo(EventClass.LAUNCH_FAILED);
        assertThat(iam.reason()).isEqualTo("iam_role");
        // "Troubleshooting section" and "supported" contain "port": not a port conflict
        assertThat(ServiceEvents.classify("(service web) was unable to place a task because no container instance met "
                                + "all of its requirements. The closest matching (container-instance 1) is missing an attribute required "
                                + "by your task. For more information, see the Troubleshooting section.")
                        .reason())
                .isEqualTo("attribute");
        assertThat(Text.phrase(Text.words("access denied"), "eni")).isFalse();
        assertThat(Text.phrase(Text.words("dial tcp 1.2.3.4:443: i/o timeout"), "i o timeout"))
                .isTrue();
    }

    @Test
    void serviceEventClasses() {
        var memory = ServiceEvents.classify(
                "(service web) was unable to place a task because no container instance met "
                        + "all of its requirements. The closest matching (container-instance 1a2b) has insufficient memory available.");
        assertThat(memory.type()).isEqualTo(EventClass.CANNOT_PLACE);
        assertThat(memory.reason()).isEqualTo("memory");
        assertThat(ServiceEvents.classify("(service web) was unable to place a task because no container instance met "
                                + "all of its requirements. The closest matching (container-instance 1) has insufficient CPU units "
                                + "available.")
                        .reason())
                .isEqualTo("cpu");
        assertThat(ServiceEvents.classify("(service web) was unable to place a task because no container instance met "
                                + "all of its requirements. The closest matching (container-instance 1) is already using a port required "
                                + "by your task.")
                        .reason())
                .isEqualTo("ports");
        assertThat(ServiceEvents.classify("(service web) was unable to place a task. Reason: insufficient free "
                                + "addresses in subnet.")
                        .reason())
                .isEqualTo("eni");
        assertThat(ServiceEvents.classify("(service web) (port 80) is unhealthy in (target-group arn) due to (reason "
                                + "Health checks failed).")
                        .type())
                .isEqualTo(EventClass.UNHEALTHY_TARGET);
        assertThat(ServiceEvents.classify(
                                "(service web) (deployment ecs-svc/1) deployment failed: tasks failed to " + "start.")
                        .type())
                .isEqualTo(EventClass.DEPLOYMENT_FAILED);
        assertThat(ServiceEvents.classify("(service web) (deployment ecs-svc/1) deployment failed: rolling back to "
                                + "deployment ecs-svc/0.")
                        .type())
                .isEqualTo(EventClass.ROLLED_BACK);
        assertThat(ServiceEvents.classify("(service web) has reached a steady state.")
                        .type())
                .isEqualTo(EventClass.STEADY_STATE);
    }

    @Test
    void logSignaturesCollapseWhatVaries() {
        String a = LogScanner.signature("2025-01-31T10:00:01.123Z ERROR request 7f3c2a1b-0d4e-4f5a-9b8c-"
                + "1d2e3f4a5b6c from 10.0.1.5:443 failed after 312ms (0xdeadbeef12)");
        String b = LogScanner.signature("2025-01-31T10:09:59Z ERROR request 00000000-1111-2222-3333-444444444444 "
                + "from 10.0.2.9:443 failed after 9ms (0xcafe0042ab)");
        assertThat(a).isEqualTo(b).isEqualTo("ERROR request <uuid> from <ip> failed after <n>ms (<hex>)");
        assertThat(LogScanner.level("java.lang.OutOfMemoryError: Java heap space"))
                .isEqualTo(LogScanner.Level.ERROR);
        assertThat(LogScanner.level("{\"level\":\"warn\",\"msg\":\"slow\"}")).isEqualTo(LogScanner.Level.WARN);
        assertThat(MetricsReader.sparkline(List.of(0.0, 50.0, 100.0), true)).isEqualTo("▁▅█");
        assertThat(MetricsReader.period(60)).isEqualTo(60);
        assertThat(MetricsReader.period(1440)).isEqualTo(1440);
    }
}
