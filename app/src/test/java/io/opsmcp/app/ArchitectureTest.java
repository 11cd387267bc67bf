package io.opsmcp.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package-level half of the module boundaries in ARCHITECTURE.md (the Maven enforcer checks the module half):
 * run over every production class of the product, so a new import that crosses a boundary fails the build with
 * the offending class and line.
 */
class ArchitectureTest {

    private static JavaClasses product;

    @BeforeAll
    static void importProduct() {
        product = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.opsmcp");
    }

    @Test
    void coreIsOnlyTheSpi() {
        noClasses()
                .that()
                .resideInAPackage("io.opsmcp.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.opsmcp.toolkit..",
                        "io.opsmcp.guard..",
                        "io.opsmcp.server..",
                        "io.opsmcp.store..",
                        "io.opsmcp.tools..",
                        "io.opsmcp.rego..",
                        "io.opsmcp.app..")
                .check(product);
    }

    @Test
    void toolsetsKnowNeitherTheGuardNorTheServer() {
        noClasses()
                .that()
                .resideInAnyPackage("io.opsmcp.tools..", "io.opsmcp.toolkit..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.opsmcp.guard..",
                        "io.opsmcp.server..",
                        "io.opsmcp.store..",
                        "io.opsmcp.app..",
                        "io.modelcontextprotocol..",
                        "org.springframework..")
                .check(product);
    }

    @Test
    void toolsetsDoNotReachIntoEachOther() {
        // deployments joins AWS and GitLab through their published facades only
        slices().matching("io.opsmcp.tools.(*)..")
                .should()
                .notDependOnEachOther()
                .ignoreDependency(
                        com.tngtech.archunit.base.DescribedPredicate.describe(
                                "deployments", c -> c.getPackageName().startsWith("io.opsmcp.tools.deployments")),
                        com.tngtech.archunit.base.DescribedPredicate.describe(
                                "the aws and gitlab api facades",
                                c -> c.getPackageName().equals("io.opsmcp.tools.aws.api")
                                        || c.getPackageName().equals("io.opsmcp.tools.gitlab.api")))
                .check(product);
    }

    @Test
    void theGuardHasNoMcpNoSpringNoJdbcDriver() {
        noClasses()
                .that()
                .resideInAPackage("io.opsmcp.guard..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.modelcontextprotocol..",
                        "org.springframework..",
                        "picocli..",
                        "io.opsmcp.server..",
                        "io.opsmcp.store..",
                        "io.opsmcp.tools..",
                        "io.opsmcp.telemetry..",
                        "io.opentelemetry..",
                        "io.micrometer..",
                        "org.h2..",
                        "org.postgresql..",
                        "org.flywaydb..")
                .check(product);
    }

    @Test
    void alertIntakeKnowsNeitherMcpNorSpringNorTheStoreNorAToolset() {
        // receivers are plain request handlers; the store is an SPI (store-jdbc implements it)
        noClasses()
                .that()
                .resideInAPackage("io.opsmcp.alerts..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.modelcontextprotocol..",
                        "org.springframework..",
                        "jakarta.servlet..",
                        "io.opsmcp.server..",
                        "io.opsmcp.store..",
                        "io.opsmcp.tools..",
                        "org.h2..",
                        "org.postgresql..")
                .check(product);
    }

    @Test
    void telemetryKnowsNeitherMcpNorSpringNorTheServer() {
        // it observes the guard through CallObserver and gets requests from the server as plain values
        noClasses()
                .that()
                .resideInAPackage("io.opsmcp.telemetry..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.modelcontextprotocol..",
                        "org.springframework..",
                        "io.opsmcp.server..",
                        "io.opsmcp.store..",
                        "io.opsmcp.tools..")
                .check(product);
    }

    @Test
    void theOAuthResourceServerHasNoMcpNoSpringAndKnowsNoServer() {
        noClasses()
                .that()
                .resideInAPackage("io.opsmcp.oauth..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.modelcontextprotocol..",
                        "org.springframework..",
                        "jakarta.servlet..",
                        "io.opsmcp.server..",
                        "io.opsmcp.guard..",
                        "io.opsmcp.tools..")
                .check(product);
    }

    @Test
    void notificationsHaveNoMcpNoSpringAndKnowNoServer() {
        noClasses()
                .that()
                .resideInAPackage("io.opsmcp.notify..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.modelcontextprotocol..",
                        "org.springframework..",
                        "jakarta.servlet..",
                        "io.opsmcp.server..",
                        "io.opsmcp.tools..")
                .check(product);
    }

    @Test
    void simulationsStayInSandboxes() {
        noClasses()
                .that()
                .resideOutsideOfPackages("io.opsmcp.tools.*.sandbox..", "io.opsmcp.app..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("com.github.tomakehurst.wiremock..", "org.wiremock..", "org.apache.sshd..")
                .check(product);
    }
}
