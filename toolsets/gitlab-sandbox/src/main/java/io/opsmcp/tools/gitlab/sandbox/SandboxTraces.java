package io.opsmcp.tools.gitlab.sandbox;

import java.util.ArrayList;
import java.util.List;

/** The sandbox's job traces (typical pip/pytest output, written for the sandbox). */
final class SandboxTraces {

    private static final String ESC = RunnerTrace.ESC;

    private SandboxTraces() {}

    private static List<String> pipInstall() {
        List<String> out = new ArrayList<>();
        out.add("$ python -m venv .venv && . .venv/bin/activate");
        out.add("$ pip install -r requirements.txt -r requirements-dev.txt");
        for (String[] pkg : new String[][] {
            {"flask", "3.0.3", "101"},
            {"gunicorn", "22.0.0", "84"},
            {"pydantic", "2.7.1", "409"},
            {"pytest", "8.2.0", "339"}
        }) {
            out.add("Collecting " + pkg[0] + "==" + pkg[1] + " (from -r requirements.txt (line 1))");
            out.add("  Downloading " + pkg[0] + "-" + pkg[1] + "-py3-none-any.whl.metadata (3.2 kB)");
            out.add("  Downloading " + pkg[0] + "-" + pkg[1] + "-py3-none-any.whl (" + pkg[2] + " kB)");
            // pip's progress bar redraws the line with carriage returns
            out.add("     " + ESC + "[38;5;197m━━━━━━━━━━" + ESC + "[0m " + pkg[2] + "/" + pkg[2]
                    + " kB ? eta -:--:--\r"
                    + "     " + ESC + "[38;5;70m━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━" + ESC + "[0m " + pkg[2] + "/"
                    + pkg[2] + " kB " + ESC + "[31m4.1 MB/s" + ESC + "[0m eta " + ESC + "[36m0:00:00" + ESC + "[0m");
        }
        out.add("Installing collected packages: pytest, pydantic, gunicorn, flask");
        out.add("Successfully installed flask-3.0.3 gunicorn-22.0.0 pydantic-2.7.1 pytest-8.2.0");
        out.add("");
        out.add(ESC + "[1m[" + ESC + "[0m" + ESC + "[34;49mnotice" + ESC + "[0m" + ESC + "[1;39;49m]" + ESC
                + "[0m" + ESC + "[39;49m A new release of pip is available: " + ESC + "[0m" + ESC + "[31;49m24.0"
                + ESC + "[0m" + ESC + "[39;49m -> " + ESC + "[0m" + ESC + "[32;49m24.3.1" + ESC + "[0m");
        return out;
    }

    /**
     * e2e-tests of pipeline 1004: the suite hangs waiting for the stack until the runner stops the job at the 1h
     * job timeout (gitlab-runner's wording: {@code WARNING: step_script could not run to completion because the
     * timeout was exceeded…} and {@code ERROR: Job failed: execution took longer than 1h0m0s seconds}).
     */
    static String e2eJobTimeout() {
        List<String> out = pipInstall();
        out.add("$ pytest -q tests/e2e --browser chromium");
        out.add("........................................................................ [ 38%]");
        out.add("........................................................................ [ 77%]");
        out.add("...............................");
        out.add("Terminated");
        out.add(ESC + "[0;33mWARNING: step_script could not run to completion because the timeout was exceeded. For "
                + "more control over job and script timeouts see: https://docs.gitlab.com/ee/ci/runners/"
                + "configure_runners.html#set-script-and-after_script-timeouts" + ESC + "[0;m");
        out.add(ESC + "[31;1mERROR: Job failed: execution took longer than 1h0m0s seconds" + ESC + "[0;m");
        return RunnerTrace.of("python:3.12-slim", out, null);
    }

    /** unit-tests of pipeline 1003: collection fails on the missing requests package. */
    static String missingRequests() {
        List<String> out = pipInstall();
        out.add("$ pytest -q tests/unit --junitxml=report.xml");
        out.add("");
        out.add("==================================== ERRORS ====================================");
        out.add(ESC + "[31m" + ESC
                + "[1m_______________ ERROR collecting tests/unit/test_payment_client.py ________________" + ESC
                + "[0m");
        out.add("ImportError while importing test module '/builds/shop/checkout/tests/unit/test_payment_client.py'.");
        out.add("Hint: make sure your test modules/packages have valid Python names.");
        out.add("Traceback:");
        out.add("/usr/local/lib/python3.12/importlib/__init__.py:90: in import_module");
        out.add("    return _bootstrap._gcd_import(name[level:], package, level)");
        out.add("tests/unit/test_payment_client.py:3: in <module>");
        out.add("    from checkout.payment.client import PaymentClient");
        out.add("checkout/payment/client.py:4: in <module>");
        out.add("    import requests");
        out.add("E   ModuleNotFoundError: No module named 'requests'");
        out.add("- generated xml file: /builds/shop/checkout/report.xml -");
        out.add("=========================== short test summary info ============================");
        out.add("ERROR tests/unit/test_payment_client.py");
        out.add("!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!");
        out.add(ESC + "[31m1 error in 0.41s" + ESC + "[0m");
        return RunnerTrace.of("python:3.12-slim", out, 2);
    }

    /** integration-tests: an upstream 503 in a test that passes on retry. */
    static String flakyIntegration(String status) {
        List<String> out = pipInstall();
        out.add("$ pytest -q tests/integration");
        out.add("........................F.......                                         [100%]");
        out.add("=================================== FAILURES ===================================");
        out.add("_____________________________ test_reserve_stock ______________________________");
        out.add("");
        out.add("    def test_reserve_stock(inventory):");
        out.add("        resp = inventory.reserve(sku=\"SKU-1042\", qty=2)");
        out.add(">       assert resp.status_code == 200");
        out.add("E       assert " + status + " == 200");
        out.add("E        +  where " + status + " = <Response [" + status + "]>.status_code");
        out.add("");
        out.add("tests/integration/test_inventory.py:41: AssertionError");
        out.add("=========================== short test summary info ============================");
        out.add("FAILED tests/integration/test_inventory.py::test_reserve_stock - assert " + status + " == 200");
        out.add(ESC + "[31m1 failed, 31 passed in 12.84s" + ESC + "[0m");
        return RunnerTrace.of("python:3.12-slim", out, 1);
    }

    /** Every other job. */
    static String passing() {
        List<String> out = pipInstall();
        out.add("$ make check");
        out.add("All checks passed.");
        return RunnerTrace.of("python:3.12-slim", out, 0);
    }
}
