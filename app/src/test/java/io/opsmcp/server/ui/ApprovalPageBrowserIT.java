package io.opsmcp.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.opsmcp.guard.approval.Approval;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.auth.ApiKeys;
import io.opsmcp.server.config.ConfigLoader;
import io.opsmcp.server.config.OpsMcpConfig;
import io.opsmcp.server.http.HttpTransport;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The approval page in a real browser (Debian's {@code chromium} + {@code chromium-driver}, Selenium): an approver
 * signs in at a real OpenID provider (mock-oauth2-server, authorization code + PKCE), sees a pending prod change,
 * approves it and sees it approved; a cross-site form without the CSRF token is refused; the requester's own approval
 * is refused. Screenshots of the list and the detail page go to {@code target/ui-screenshots/}; every page is checked
 * with axe-core (WCAG 2 A/AA: labels, contrast) when {@code e2e/node_modules} has it. Skipped without chromium
 * unless {@code OPS_MCP_REQUIRE_BROWSER=1} (CI).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApprovalPageBrowserIT {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String DRIVER = "/usr/bin/chromedriver";
    private static final String RESOURCE = "http://127.0.0.1/mcp";

    @TempDir
    static Path dir;

    private static MockOAuth2Server idp;
    private static OpsMcpRuntime runtime;
    private static HttpTransport http;
    private static ChromeDriver browser;
    private static HttpServer attacker;
    private static Approval scaleToZero;
    private static Approval restart;

    @BeforeAll
    static void start() throws Exception {
        boolean installed = new File(CHROMIUM).canExecute() && new File(DRIVER).canExecute();
        if (!installed && "1".equals(System.getenv("OPS_MCP_REQUIRE_BROWSER"))) {
            throw new IllegalStateException(
                    "chromium and chromium-driver are required (apt-get install chromium" + " chromium-driver)");
        }
        assumeTrue(installed, "chromium / chromium-driver not installed");
        idp = new MockOAuth2Server();
        idp.start();
        String issuer = idp.issuerUrl("corp").toString();
        Path file = dir.resolve("ops-mcp.yaml");
        Files.writeString(
                file,
                "auth:\n  api_keys:\n"
                        + "    - {principal: alice, roles: [sre, sre-lead], sha256: " + ApiKeys.sha256Hex("alice-key")
                        + "}\n"
                        + "oauth:\n  issuer: " + issuer + "\n  resource: " + RESOURCE + "\n"
                        + "  required_scopes: [ops-mcp]\n  groups_claim: groups\n"
                        + "  group_roles: {ops-leads: [sre-lead]}\n"
                        + "ui:\n  oidc: {client_id: ops-mcp-ui, scopes: [openid, ops-mcp]}\n");
        OpsMcpConfig config = new ConfigLoader(Map.of())
                .load(file, new ConfigLoader.Overrides("http", null, 0, List.of(), false, "warn", dir.resolve("data")));
        runtime = OpsMcpRuntime.start(config);
        http = HttpTransport.start(runtime);
        scaleToZero = pending("ecs_service_scale", "checkout", "desiredCount 4 -> 0");
        restart = pending("host_service_restart", "web-1", "nginx running -> restarted");

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=en");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (attacker != null) {
            attacker.stop(0);
        }
        if (http != null) {
            http.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        if (idp != null) {
            idp.shutdown();
        }
    }

    private static Approval pending(String tool, String name, String summary) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        var resource = JsonNodeFactory.instance.objectNode();
        resource.put("provider", "aws");
        resource.put("kind", "ecs:service");
        resource.put("environment", "prod");
        resource.put("name", name);
        return runtime.approvals()
                .create(new Approval(
                        null,
                        tool,
                        "0".repeat(64),
                        "alice",
                        resource,
                        summary,
                        1,
                        List.of("sre-lead"),
                        false,
                        now,
                        now.plusSeconds(1800),
                        Approval.Status.PENDING,
                        List.of(),
                        null,
                        "prod changes need an sre-lead; scaling to zero stops the service"));
    }

    private static String base() {
        return "http://127.0.0.1:" + http.port();
    }

    private static WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    @Test
    @Order(1)
    void anApproverSignsInAtTheIssuerSeesThePendingProdChangeAndApprovesIt() throws Exception {
        // the next token the provider issues: bob, in group ops-leads (role sre-lead), for this server's resource
        idp.enqueueCallback(new DefaultOAuth2TokenCallback(
                "corp",
                "bob",
                "JWT",
                List.of(RESOURCE),
                Map.of("scope", "ops-mcp", "groups", List.of("ops-leads")),
                3600));
        browser.get(base() + "/ui/approvals");
        waiting().until(ExpectedConditions.titleIs("Sign in to ops-mcp approvals"));
        accessible("sign-in");
        browser.findElement(By.linkText("Sign in with " + idp.issuerUrl("corp")))
                .click();
        waiting().until(ExpectedConditions.titleIs("Pending approvals"));
        assertThat(browser.findElement(By.tagName("header")).getText()).contains("Signed in as bob (sre-lead)");
        String list = browser.findElement(By.tagName("main")).getText();
        assertThat(list).contains("ecs_service_scale", "prod", "desiredCount 4 -> 0", "alice");
        accessible("list");
        screenshot("approvals-list.png");

        browser.findElement(By.linkText("ecs_service_scale")).click();
        waiting().until(ExpectedConditions.titleIs("Approval for ecs_service_scale"));
        assertThat(browser.findElement(By.cssSelector("table.diff del")).getText())
                .isEqualTo("4");
        assertThat(browser.findElement(By.cssSelector("table.diff ins")).getText())
                .isEqualTo("0");
        assertThat(browser.findElement(By.tagName("main")).getText())
                .contains("prod changes need an sre-lead", "1 approval(s) from role sre-lead; not alice");
        accessible("detail");
        screenshot("approval-detail.png");

        browser.findElement(By.id("reason")).sendKeys("checked the dashboard, traffic drained");
        browser.findElement(By.cssSelector("button.approve")).click();
        waiting().until(ExpectedConditions.textToBe(By.cssSelector("h1 .status"), "approved"));
        assertThat(browser.findElement(By.cssSelector("ol.history")).getText())
                .contains("approved by bob: checked the dashboard, traffic drained");
        assertThat(runtime.approvals().find(scaleToZero.id()).orElseThrow().status())
                .isEqualTo(Approval.Status.APPROVED);
        screenshot("approval-approved.png");
    }

    @Test
    @Order(2)
    void aCrossSiteFormWithoutTheCsrfTokenIsRefused() throws Exception {
        // bob is still signed in; a page elsewhere posts a vote form to the approval page (same site, other port)
        attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String form = "<!DOCTYPE html><html lang=\"en\"><head><title>Win a prize</title></head><body>"
                + "<form method=\"post\" action=\"" + base() + "/ui/approvals/" + restart.id() + "/vote\">"
                + "<input type=\"hidden\" name=\"decision\" value=\"approve\">"
                + "<button id=\"go\" type=\"submit\">Claim</button></form></body></html>";
        attacker.createContext("/", exchange -> {
            byte[] body = form.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        attacker.start();
        browser.get("http://127.0.0.1:" + attacker.getAddress().getPort() + "/");
        browser.findElement(By.id("go")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[role=alert]")));
        assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText())
                .contains("CSRF token");
        assertThat(runtime.approvals().find(restart.id()).orElseThrow().status())
                .isEqualTo(Approval.Status.PENDING);
    }

    @Test
    @Order(3)
    void theRequesterCannotApproveTheirOwnChange() {
        browser.manage().deleteAllCookies();
        browser.get(base() + "/ui/login");
        browser.findElement(By.id("api_key")).sendKeys("alice-key");
        browser.findElement(By.cssSelector("main form button")).click();
        waiting().until(ExpectedConditions.titleIs("Pending approvals"));
        browser.findElement(By.linkText("host_service_restart")).click();
        waiting().until(ExpectedConditions.titleIs("Approval for host_service_restart"));
        browser.findElement(By.cssSelector("button.approve")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".error[role=alert]")));
        assertThat(browser.findElement(By.cssSelector(".error[role=alert]")).getText())
                .contains("alice requested approval", "self-approval is not allowed");
        assertThat(runtime.approvals().find(restart.id()).orElseThrow().status())
                .isEqualTo(Approval.Status.PENDING);
    }

    private static void screenshot(String name) throws Exception {
        Path out = Path.of("target", "ui-screenshots", name);
        Files.createDirectories(out.getParent());
        Files.write(out, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    /** axe-core's WCAG 2 A/AA rules (labels, contrast, ...) on the current page; no violation allowed. */
    private static void accessible(String page) throws Exception {
        Path axe = Path.of(System.getProperty("ops-mcp.e2e.dir", "../e2e"), "node_modules", "axe-core", "axe.min.js");
        if (!Files.isRegularFile(axe)) {
            if ("1".equals(System.getenv("OPS_MCP_REQUIRE_E2E"))) {
                throw new IllegalStateException("axe-core missing: npm ci --prefix e2e");
            }
            return;
        }
        JavascriptExecutor js = browser;
        js.executeScript(Files.readString(axe));
        Object violations = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
                + ".then(r => done(JSON.stringify(r.violations.map(v => v.id + ': ' + v.help"
                + " + ' ' + v.nodes.map(n => n.target.join(' ')).join(', ')))))"
                + ".catch(e => done('axe failed: ' + e));");
        assertThat(String.valueOf(violations))
                .as("axe-core on the " + page + " page")
                .isEqualTo("[]");
    }
}
