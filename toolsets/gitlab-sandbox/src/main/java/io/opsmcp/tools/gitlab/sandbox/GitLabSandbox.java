package io.opsmcp.tools.gitlab.sandbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import io.opsmcp.core.tool.ToolsetSandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A simulated GitLab instance for {@code --sandbox}: WireMock on 127.0.0.1 (random port) answering GitLab REST v4
 * requests for project {@value #PROJECT} (id {@value #PROJECT_ID}, environment prod) with payloads shaped like
 * GitLab's. Story: commit {@code e13a5c07} (merged by !7) added {@code import requests} without adding it to
 * requirements.txt, so pipeline {@value #FAILED_PIPELINE} on main failed: {@code unit-tests} with
 * {@code ModuleNotFoundError: No module named 'requests'} and {@code integration-tests} on an assertion (it failed
 * and passed on retry in pipeline 1001, which is history, not flakiness shown in this pipeline). constraints.txt
 * pins {@code requests==2.32.3}. Commit {@code 9f2c1e4a}
 * (MR !6, pipeline 1001, success) is what the AWS sandbox's checkout service runs. The nightly scheduled pipeline
 * {@value #TIMEOUT_PIPELINE} on the same commit failed: {@code e2e-tests}, which has no {@code timeout:} in
 * {@code .gitlab-ci.yml}, was stopped at the project's 1h job timeout. Commits resolve by full or
 * short sha; {@code pipelines?sha=} filters. Requests without the sandbox token get 401; unknown paths 404.
 */
public final class GitLabSandbox implements ToolsetSandbox {

    public static final String INSTANCE = "sandbox";
    public static final String PROJECT = "shop/checkout";
    public static final long PROJECT_ID = 42;
    public static final long FAILED_PIPELINE = 1003;
    public static final long TIMEOUT_PIPELINE = 1004;
    /** The repository's {@code .gitlab-ci.yml} (at every commit of the sandbox). */
    static final String CI_YAML = """
            # shop/checkout CI
            stages: [build, test, e2e]

            default:
              image: python:3.12-slim
              interruptible: true

            build:
              stage: build
              script:
                - python -m build

            unit-tests:
              stage: test
              script:
                - pip install -r requirements.txt -r requirements-dev.txt
                - pytest -q tests/unit --junitxml=report.xml
              artifacts:
                reports:
                  junit: report.xml

            integration-tests:
              stage: test
              timeout: 30m
              services: [postgres:16]
              script:
                - pytest -q tests/integration

            lint:
              stage: test
              script:
                - ruff check .

            # nightly: the browser suite against a throw-away stack
            e2e-tests:
              stage: e2e
              rules:
                - if: $CI_PIPELINE_SOURCE == "schedule"
              script:
                - pip install -r requirements.txt -r requirements-dev.txt
                - pytest -q tests/e2e --browser chromium
            """;

    static final String TOKEN = "sandbox-token-not-secret";
    static final String SHA1 = "9f2c1e4ab0d3c6e7f8a9b0c1d2e3f4a5b6c7d8e9";
    static final String SHA2 = "4b7d2a91c3e5f7a9b1d3e5f7a9c1e3a5b7d9f1a3";
    static final String SHA3 = "e13a5c07d2f4a6b8c0e2f4a6b8d0c2e4f6a8b0d2";
    private static final String P = "/api/v4/projects/shop%2Fcheckout";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final WireMockServer server;
    private final Path tokenFile;

    private GitLabSandbox(WireMockServer server, Path tokenFile) {
        this.server = server;
        this.tokenFile = tokenFile;
    }

    /** Starts the simulated instance and writes its token file into {@code dir}. */
    public static GitLabSandbox start(Path dir) {
        Path tokenFile = dir.resolve("gitlab-token");
        try {
            Files.createDirectories(dir);
            Files.writeString(tokenFile, TOKEN + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sandbox GitLab token file " + tokenFile, e);
        }
        WireMockServer server = new WireMockServer(options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .notifier(new Slf4jNotifier(false))
                .disableRequestJournal());
        server.start();
        GitLabSandbox sandbox = new GitLabSandbox(server, tokenFile);
        try {
            sandbox.stubAll();
        } catch (RuntimeException e) {
            server.stop();
            throw e;
        }
        return sandbox;
    }

    /** The simulated instance's base URL ({@code http://127.0.0.1:PORT}). */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    public Path tokenFile() {
        return tokenFile;
    }

    /**
     * Adds instance {@value #INSTANCE} to {@code gitlab.instances}: base_url at the simulation, token_file in the
     * sandbox directory, projects {@code shop/*} in environment prod.
     */
    @Override
    public JsonNode configure(JsonNode settings) {
        ObjectNode copy =
                settings != null && settings.isObject() ? (ObjectNode) settings.deepCopy() : JSON.objectNode();
        JsonNode gitlabNode = copy.get("gitlab");
        ObjectNode gitlab =
                gitlabNode != null && gitlabNode.isObject() ? (ObjectNode) gitlabNode : copy.putObject("gitlab");
        JsonNode list = gitlab.get("instances");
        ArrayNode instances = list != null && list.isArray() ? (ArrayNode) list : gitlab.putArray("instances");
        for (JsonNode i : instances) {
            if (INSTANCE.equals(i.path("name").asString(""))) {
                throw new IllegalArgumentException("gitlab.instances: an instance named '" + INSTANCE
                        + "' is configured; the name is reserved for --sandbox");
            }
        }
        ObjectNode instance = instances.addObject();
        instance.put("name", INSTANCE);
        instance.put("base_url", baseUrl());
        instance.put("token_file", tokenFile.toString());
        ObjectNode scope = instance.putArray("projects").addObject();
        scope.put("pattern", "shop/*");
        scope.put("environment", "prod");
        return copy;
    }

    @Override
    public void close() {
        server.stop();
    }

    // ------------------------------------------------------------------------------------------ stubs

    private void stubAll() {
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(json(401, obj().put("message", "401 Unauthorized"))));
        server.stubFor(
                authed(any(anyUrl())).atPriority(9).willReturn(json(404, obj().put("message", "404 Not Found"))));
        ObjectNode project = project();
        server.stubFor(authed(get(urlPathEqualTo(P))).willReturn(json(200, project)));
        server.stubFor(
                authed(get(urlPathEqualTo("/api/v4/projects/" + PROJECT_ID))).willReturn(json(200, project)));

        ObjectNode c1 = commit(SHA1, "Add retry to inventory client", "Dana Smith", "2025-11-20T09:12:00.000+00:00");
        ObjectNode c2 = commit(SHA2, "Bump flask to 3.0.3", "Lee Chen", "2025-11-20T16:40:00.000+00:00");
        ObjectNode c3 = commit(
                SHA3, "Use requests for the payment gateway client", "Sam Rivera", "2025-11-21T10:31:00.000+00:00");
        for (ObjectNode c : List.of(c1, c2, c3)) {
            server.stubFor(authed(get(urlPathEqualTo(
                            P + "/repository/commits/" + c.get("id").asString())))
                    .willReturn(json(200, c)));
            server.stubFor(authed(get(urlPathEqualTo(
                            P + "/repository/commits/" + c.get("short_id").asString())))
                    .willReturn(json(200, c)));
        }
        server.stubFor(authed(get(urlPathEqualTo(P + "/repository/commits"))).willReturn(list(array(c3, c2, c1))));

        ObjectNode p1 = pipeline(1001, SHA1, "success", "2025-11-20T09:13:00.000Z", 402);
        ObjectNode p2 = pipeline(1002, SHA2, "success", "2025-11-20T16:41:00.000Z", 388);
        ObjectNode p3 = pipeline(FAILED_PIPELINE, SHA3, "failed", "2025-11-21T10:32:00.000Z", 251);
        ObjectNode p4 = pipeline(TIMEOUT_PIPELINE, SHA3, "failed", "2025-11-22T02:00:00.000Z", 3712);
        p4.put("source", "schedule");
        for (ObjectNode p : List.of(p1, p2, p3, p4)) {
            server.stubFor(
                    authed(get(urlPathEqualTo(P + "/pipelines/" + p.get("id").asLong())))
                            .willReturn(json(200, p)));
        }
        server.stubFor(authed(get(urlPathEqualTo(P + "/pipelines"))).willReturn(list(array(p4, p3, p2, p1))));
        for (ObjectNode p : List.of(p1, p2)) {
            server.stubFor(authed(get(urlPathEqualTo(P + "/pipelines"))
                            .withQueryParam("sha", equalTo(p.get("sha").asString())))
                    .willReturn(list(array(p))));
        }
        server.stubFor(authed(get(urlPathEqualTo(P + "/pipelines")).withQueryParam("sha", equalTo(SHA3)))
                .willReturn(list(array(p4, p3))));

        ArrayNode jobs1 = array(
                job(5001, "build", "build", "success", p1, false, null, 48),
                job(5002, "unit-tests", "test", "success", p1, false, null, 95),
                job(5003, "integration-tests", "test", "failed", p1, true, "script_failure", 171),
                job(5004, "integration-tests", "test", "success", p1, false, null, 160),
                job(5005, "lint", "test", "success", p1, false, null, 30));
        ArrayNode jobs2 = array(
                job(5011, "build", "build", "success", p2, false, null, 51),
                job(5012, "unit-tests", "test", "success", p2, false, null, 97),
                job(5013, "integration-tests", "test", "success", p2, false, null, 158),
                job(5014, "lint", "test", "success", p2, false, null, 29));
        ArrayNode jobs3 = array(
                job(5021, "build", "build", "success", p3, false, null, 50),
                job(5022, "unit-tests", "test", "failed", p3, false, "script_failure", 34),
                job(5023, "integration-tests", "test", "failed", p3, false, "script_failure", 165),
                job(5024, "lint", "test", "success", p3, false, null, 31));
        stubJobs(p1, jobs1);
        stubJobs(p2, jobs2);
        stubJobs(p3, jobs3);
        stubJobs(
                p4,
                array(
                        job(5041, "build", "build", "success", p4, false, null, 49),
                        job(5042, "e2e-tests", "e2e", "failed", p4, false, "job_execution_timeout", 3600.4)));
        trace(5042, SandboxTraces.e2eJobTimeout());
        trace(5022, SandboxTraces.missingRequests());
        trace(5023, SandboxTraces.flakyIntegration("503"));
        trace(5003, SandboxTraces.flakyIntegration("503"));
        server.stubFor(authed(get(urlPathMatching(P + "/jobs/\\d+/trace")))
                .atPriority(8)
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "text/plain")
                        .withBody(SandboxTraces.passing())));

        ObjectNode mr6 =
                mergeRequest(6, "Add retry to inventory client", "merged", "feature/inventory-retry", SHA1, p1);
        mr6.putObject("author").put("id", 12).put("username", "dsmith").put("name", "Dana Smith");
        mr6.put("created_at", "2025-11-19T15:20:00.000Z")
                .put("updated_at", "2025-11-20T09:12:00.000Z")
                .put("merged_at", "2025-11-20T09:12:00.000Z");
        ObjectNode mr7 = mergeRequest(
                7, "Use requests for the payment gateway client", "merged", "feature/payment-requests", SHA3, p3);
        ObjectNode mr8 = mergeRequest(
                8,
                "Inventory: show retry counters on the dashboard",
                "opened",
                "feature/inventory-dashboard",
                SHA2,
                p2);
        server.stubFor(authed(get(urlPathEqualTo(P + "/repository/commits/" + SHA3 + "/merge_requests")))
                .willReturn(list(array(mr7))));
        server.stubFor(authed(get(urlPathEqualTo(P + "/repository/commits/" + SHA1 + "/merge_requests")))
                .willReturn(list(array(mr6))));
        server.stubFor(authed(get(urlPathEqualTo(P + "/merge_requests/6"))).willReturn(json(200, mr6)));
        server.stubFor(authed(get(urlPathEqualTo(P + "/merge_requests/7"))).willReturn(json(200, mr7)));
        server.stubFor(authed(get(urlPathEqualTo(P + "/merge_requests/8"))).willReturn(json(200, mr8)));
        server.stubFor(authed(get(urlPathEqualTo(P + "/merge_requests"))).willReturn(list(array(mr8))));
        server.stubFor(authed(get(urlPathEqualTo(P + "/merge_requests")).withQueryParam("state", equalTo("merged")))
                .willReturn(list(array(mr7, mr6))));
        server.stubFor(authed(get(urlPathEqualTo(P + "/merge_requests")).withQueryParam("state", equalTo("all")))
                .willReturn(list(array(mr8, mr7, mr6))));
        ArrayNode diffs7 = array(
                diff(
                        "checkout/payment/client.py",
                        false,
                        "@@ -1,5 +1,6 @@\n import logging\n \n+import requests\n from checkout.config import settings\n"
                                + "-from checkout.http import post_json\n+from checkout.http import post_json, retry_policy\n"));
        server.stubFor(
                authed(get(urlPathEqualTo(P + "/merge_requests/7/diffs"))).willReturn(list(diffs7)));
        server.stubFor(authed(get(urlPathEqualTo(P + "/merge_requests/8/diffs")))
                .willReturn(list(array(diff(
                        "checkout/inventory/dashboard.py",
                        true,
                        "@@ -0,0 +1,3 @@\n+def retry_counters():\n+    ...\n+\n")))));
        ObjectNode compare = obj();
        compare.set("commit", c3);
        compare.set("commits", array(c3));
        compare.set("diffs", diffs7);
        compare.put("compare_timeout", false);
        compare.put("compare_same_ref", false);
        compare.put("web_url", baseUrl() + "/shop/checkout/-/compare/" + SHA2 + "..." + SHA3);
        server.stubFor(authed(get(urlPathEqualTo(P + "/repository/compare"))).willReturn(json(200, compare)));

        file("requirements.txt", "flask==3.0.3\ngunicorn==22.0.0\npydantic==2.7.1\n");
        file(".gitlab-ci.yml", CI_YAML);
        file("constraints.txt", "flask==3.0.3\ngunicorn==22.0.0\npydantic==2.7.1\nrequests==2.32.3\nurllib3==2.2.1\n");
        ObjectNode main = obj().put("name", "main").put("protected", true).put("default", true);
        main.set("commit", c3);
        server.stubFor(
                authed(get(urlPathEqualTo(P + "/repository/branches/main"))).willReturn(json(200, main)));
        server.stubFor(authed(get(urlPathEqualTo(P + "/protected_branches")))
                .willReturn(list(array(
                        obj().put("id", 1).put("name", "main"),
                        obj().put("id", 2).put("name", "release/*")))));

        ObjectNode retried = job(5031, "integration-tests", "test", "pending", p3, false, null, 0);
        server.stubFor(authed(post(urlPathMatching(P + "/jobs/\\d+/retry"))).willReturn(json(201, retried)));
        ObjectNode running = p3.deepCopy().put("status", "running");
        server.stubFor(
                authed(post(urlPathMatching(P + "/pipelines/\\d+/retry"))).willReturn(json(201, running)));
        ObjectNode canceled = p3.deepCopy().put("status", "canceled");
        server.stubFor(
                authed(post(urlPathMatching(P + "/pipelines/\\d+/cancel"))).willReturn(json(200, canceled)));
        ObjectNode created = commit(
                "c0ffee00d2f4a6b8c0e2f4a6b8d0c2e4f6a8b0d2",
                "Fix unit-tests",
                "ops-mcp",
                "2025-11-21T11:00:00.000+00:00");
        server.stubFor(authed(post(urlPathEqualTo(P + "/repository/commits"))).willReturn(json(201, created)));
        ObjectNode mr9 = mergeRequest(
                9, "Fix unit-tests", "opened", "ops-mcp/fix", created.get("id").asString(), null);
        server.stubFor(authed(post(urlPathEqualTo(P + "/merge_requests"))).willReturn(json(201, mr9)));
        server.stubFor(authed(post(urlPathMatching(P + "/merge_requests/\\d+/notes")))
                .willReturn(json(
                        201,
                        obj().put("id", 3001).put("body", "noted").put("created_at", "2025-11-21T11:00:00.000Z"))));
    }

    private void stubJobs(ObjectNode pipeline, ArrayNode jobs) {
        long id = pipeline.get("id").asLong();
        server.stubFor(
                authed(get(urlPathEqualTo(P + "/pipelines/" + id + "/jobs"))).willReturn(list(jobs)));
        for (JsonNode j : jobs) {
            server.stubFor(authed(get(urlPathEqualTo(P + "/jobs/" + j.get("id").asLong())))
                    .willReturn(json(200, j)));
        }
    }

    private void trace(long jobId, String text) {
        server.stubFor(authed(get(urlPathEqualTo(P + "/jobs/" + jobId + "/trace")))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "text/plain")
                        .withBody(text)));
    }

    private void file(String path, String content) {
        ObjectNode f = obj();
        f.put("file_name", path.substring(path.lastIndexOf('/') + 1));
        f.put("file_path", path);
        f.put("size", content.getBytes(StandardCharsets.UTF_8).length);
        f.put("encoding", "base64");
        f.put("content", Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8)));
        f.put("ref", "main");
        f.put("blob_id", "79f7bbd25901e8334750839545a9bd021f0e4c83");
        f.put("commit_id", SHA3);
        f.put("last_commit_id", SHA2);
        server.stubFor(authed(get(urlPathEqualTo(P + "/repository/files/" + path.replace("/", "%2F"))))
                .willReturn(json(200, f)));
    }

    private static MappingBuilder authed(MappingBuilder m) {
        return m.withHeader("PRIVATE-TOKEN", equalTo(TOKEN));
    }

    private static ResponseDefinitionBuilder json(int status, JsonNode body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body.toString());
    }

    /** A one-page list with GitLab's offset-pagination headers. */
    private static ResponseDefinitionBuilder list(ArrayNode items) {
        return json(200, items)
                .withHeader("X-Page", "1")
                .withHeader("X-Per-Page", "20")
                .withHeader("X-Total", Integer.toString(items.size()))
                .withHeader("X-Total-Pages", "1")
                .withHeader("X-Next-Page", "")
                .withHeader("X-Prev-Page", "");
    }

    private static ObjectNode obj() {
        return JSON.objectNode();
    }

    private static ArrayNode array(JsonNode... items) {
        ArrayNode a = JSON.arrayNode();
        for (JsonNode i : items) {
            a.add(i);
        }
        return a;
    }

    private ObjectNode project() {
        ObjectNode p = obj();
        p.put("id", PROJECT_ID);
        p.put("name", "checkout");
        p.put("path", "checkout");
        p.put("path_with_namespace", PROJECT);
        p.put("description", "Checkout service of the shop");
        p.put("default_branch", "main");
        p.put("visibility", "private");
        p.put("archived", false);
        p.put("created_at", "2023-03-01T08:00:00.000Z");
        p.put("last_activity_at", "2025-11-21T10:36:00.000Z");
        p.put("web_url", baseUrl() + "/shop/checkout");
        return p;
    }

    private ObjectNode commit(String sha, String title, String author, String date) {
        ObjectNode c = obj();
        c.put("id", sha);
        c.put("short_id", sha.substring(0, 8));
        c.put("title", title);
        c.put("message", title + "\n");
        c.put("author_name", author);
        c.put("author_email", author.toLowerCase().replace(' ', '.') + "@shop.example");
        c.put("authored_date", date);
        c.put("committer_name", author);
        c.put("committed_date", date);
        c.put("created_at", date);
        c.putArray("parent_ids");
        c.put("web_url", baseUrl() + "/shop/checkout/-/commit/" + sha);
        return c;
    }

    private ObjectNode pipeline(long id, String sha, String status, String created, int duration) {
        ObjectNode p = obj();
        p.put("id", id);
        p.put("iid", id - 900);
        p.put("project_id", PROJECT_ID);
        p.put("sha", sha);
        p.put("ref", "main");
        p.put("status", status);
        p.put("source", "push");
        p.put("tag", false);
        p.put("created_at", created);
        p.put("updated_at", created);
        p.put("started_at", created);
        p.put("finished_at", created);
        p.put("duration", duration);
        p.put("queued_duration", 2.1);
        p.put("web_url", baseUrl() + "/shop/checkout/-/pipelines/" + id);
        return p;
    }

    private ObjectNode job(
            long id,
            String name,
            String stage,
            String status,
            ObjectNode pipeline,
            boolean retried,
            String failureReason,
            double duration) {
        ObjectNode j = obj();
        j.put("id", id);
        j.put("name", name);
        j.put("stage", stage);
        j.put("status", status);
        j.put("ref", "main");
        j.put("tag", false);
        j.put("allow_failure", false);
        j.put("retried", retried);
        j.put("created_at", pipeline.get("created_at").asString());
        j.put("started_at", pipeline.get("created_at").asString());
        j.put("finished_at", pipeline.get("created_at").asString());
        j.put("duration", duration);
        j.put("queued_duration", 1.2);
        if (failureReason != null) {
            j.put("failure_reason", failureReason);
        }
        ObjectNode c = j.putObject("commit");
        c.put("id", pipeline.get("sha").asString());
        c.put("short_id", pipeline.get("sha").asString().substring(0, 8));
        ObjectNode pl = j.putObject("pipeline");
        pl.put("id", pipeline.get("id").asLong());
        pl.put("project_id", PROJECT_ID);
        pl.put("ref", "main");
        pl.put("sha", pipeline.get("sha").asString());
        pl.put("status", pipeline.get("status").asString());
        j.put("web_url", baseUrl() + "/shop/checkout/-/jobs/" + id);
        return j;
    }

    private ObjectNode mergeRequest(long iid, String title, String state, String source, String sha, ObjectNode head) {
        ObjectNode m = obj();
        m.put("id", 80000 + iid);
        m.put("iid", iid);
        m.put("project_id", PROJECT_ID);
        m.put("title", title);
        m.put("description", title + ".");
        m.put("state", state);
        m.put("draft", false);
        m.put("source_branch", source);
        m.put("target_branch", "main");
        m.put("sha", sha);
        m.put("merge_commit_sha", state.equals("merged") ? sha : null);
        m.put("detailed_merge_status", state.equals("merged") ? "not_open" : "mergeable");
        m.put("created_at", "2025-11-19T14:00:00.000Z");
        m.put("updated_at", "2025-11-21T10:30:00.000Z");
        m.put("merged_at", state.equals("merged") ? "2025-11-21T10:30:00.000Z" : null);
        m.putObject("author").put("id", 17).put("username", "srivera").put("name", "Sam Rivera");
        if (head != null) {
            ObjectNode hp = m.putObject("head_pipeline");
            hp.put("id", head.get("id").asLong());
            hp.put("status", head.get("status").asString());
            hp.put("ref", head.get("ref").asString());
            hp.put("sha", head.get("sha").asString());
            hp.put("web_url", head.get("web_url").asString());
        }
        m.put("web_url", baseUrl() + "/shop/checkout/-/merge_requests/" + iid);
        return m;
    }

    private static ObjectNode diff(String path, boolean newFile, String text) {
        ObjectNode d = obj();
        d.put("old_path", path);
        d.put("new_path", path);
        d.put("a_mode", newFile ? "0" : "100644");
        d.put("b_mode", "100644");
        d.put("new_file", newFile);
        d.put("renamed_file", false);
        d.put("deleted_file", false);
        d.put("diff", text);
        return d;
    }
}
