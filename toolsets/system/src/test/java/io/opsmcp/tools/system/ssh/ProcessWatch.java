package io.opsmcp.tools.system.ssh;

/** Test helper: watches the local process table. */
public final class ProcessWatch {

    private ProcessWatch() {}

    /** Polls (at most 5 s) until no local process's command line ends with {@code commandLine}. */
    public static boolean waitUntilGone(String commandLine) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            boolean alive = ProcessHandle.allProcesses()
                    .anyMatch(p -> p.info()
                            .commandLine()
                            .map(c -> c.endsWith(commandLine))
                            .orElse(false));
            if (!alive) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}
