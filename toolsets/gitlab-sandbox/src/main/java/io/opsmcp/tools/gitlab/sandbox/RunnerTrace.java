package io.opsmcp.tools.gitlab.sandbox;

import java.util.List;

/**
 * Builds job traces the way a GitLab Runner (docker executor) writes them: ANSI colours, {@code \e[0K} erase codes
 * and collapsible section markers ({@code section_start:TS:NAME[collapsed=true]\r\e[0K}, GitLab docs "CI/CD job
 * logs"), the script commands in green with {@code $}, and the final {@code Job succeeded} or
 * {@code ERROR: Job failed: exit code N}. Used by the sandbox and by tests.
 */
public final class RunnerTrace {

    static final String ESC = "\u001B";
    private static final long T0 = 1_733_300_000L;

    private RunnerTrace() {}

    /**
     * A whole trace.
     *
     * @param image    the job image
     * @param output   the step_script output; lines starting with {@code $ } are commands and are coloured
     * @param exitCode 0 for success, else the failing exit code ({@code null}: the runner's own failure line is
     *                 expected inside {@code output})
     */
    public static String of(String image, List<String> output, Integer exitCode) {
        StringBuilder t = new StringBuilder();
        t.append(ESC)
                .append("[0KRunning with gitlab-runner 17.5.2 (c6eae8d7)")
                .append(ESC)
                .append("[0;m\n");
        t.append(ESC)
                .append("[0K  on docker-runner-2 t2_Hk8Lq, system ID: s_0a1b2c3d4e5f")
                .append(ESC)
                .append("[0;m\n");
        section(
                t,
                T0,
                "prepare_executor",
                "Preparing the \"docker\" executor",
                List.of(
                        ESC + "[0KUsing Docker executor with image " + image + " ..." + ESC + "[0;m",
                        ESC + "[0KPulling docker image " + image + " ..." + ESC + "[0;m",
                        ESC + "[0KUsing docker image sha256:4f3e1a0c9b8d for " + image + " with digest " + image
                                + "@sha256:9d2c5a7e ..." + ESC + "[0;m"));
        section(
                t,
                T0 + 4,
                "get_sources",
                "Getting source from Git repository",
                List.of(
                        ESC + "[32;1mFetching changes with git depth set to 20..." + ESC + "[0;m",
                        "Initialized empty Git repository in /builds/shop/checkout/.git/",
                        ESC + "[32;1mCreated fresh repository." + ESC + "[0;m",
                        ESC + "[32;1mChecking out e13a5c07 as detached HEAD (ref is main)..." + ESC + "[0;m",
                        "",
                        ESC + "[32;1mSkipping Git submodules setup" + ESC + "[0;m"));
        t.append("section_start:")
                .append(T0 + 9)
                .append(":step_script\r")
                .append(ESC)
                .append("[0K")
                .append(ESC)
                .append("[0K")
                .append(ESC)
                .append("[36;1mExecuting \"step_script\" stage of the job script")
                .append(ESC)
                .append("[0;m\n");
        for (String line : output) {
            if (line.startsWith("$ ")) {
                t.append(ESC).append("[32;1m").append(line).append(ESC).append("[0;m\n");
            } else {
                t.append(line).append('\n');
            }
        }
        t.append("section_end:")
                .append(T0 + 60)
                .append(":step_script\r")
                .append(ESC)
                .append("[0K\n");
        section(
                t,
                T0 + 61,
                "cleanup_file_variables",
                "Cleaning up project directory and file based variables",
                List.of());
        if (exitCode != null && exitCode == 0) {
            t.append(ESC).append("[32;1mJob succeeded").append(ESC).append("[0;m\n");
        } else if (exitCode != null) {
            t.append(ESC)
                    .append("[31;1mERROR: Job failed: exit code ")
                    .append(exitCode)
                    .append("\n")
                    .append(ESC)
                    .append("[0;m\n");
        }
        return t.toString();
    }

    private static void section(StringBuilder t, long ts, String name, String header, List<String> lines) {
        t.append("section_start:")
                .append(ts)
                .append(':')
                .append(name)
                .append("[collapsed=true]\r")
                .append(ESC)
                .append("[0K")
                .append(ESC)
                .append("[0K")
                .append(ESC)
                .append("[36;1m")
                .append(header)
                .append(ESC)
                .append("[0;m\n");
        lines.forEach(l -> t.append(l).append('\n'));
        t.append("section_end:")
                .append(ts + 3)
                .append(':')
                .append(name)
                .append("\r")
                .append(ESC)
                .append("[0K\n");
    }
}
