package io.opsmcp.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The base logging configuration: stderr only, and wire-level loggers held above DEBUG whatever the root level. */
class LogDefaultsTest {

    @Test
    void logbackConfiguresItselfWithItStderrOnly() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);

        assertThat(root.getAppender(LogSetup.STDERR))
                .as("found through META-INF/services, not XML")
                .isInstanceOfSatisfying(
                        ConsoleAppender.class, a -> assertThat(a.getTarget()).isEqualTo("System.err"));
        root.iteratorForAppenders().forEachRemaining(a -> {
            if (a instanceof ConsoleAppender<?> c) {
                assertThat(c.getTarget()).as(a.getName()).isEqualTo("System.err");
            }
        });
    }

    @Test
    void wireLevelLoggersStayQuietWhenTheRootLogsDebug() {
        LoggerContext context = new LoggerContext();
        new LogDefaults().configure(context);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.DEBUG); // logging.level: debug
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.setContext(context);
        seen.start();
        root.addAppender(seen);

        context.getLogger("io.modelcontextprotocol.spec.McpSchema").debug("received {\"token\":\"s3cr3t\"}");
        context.getLogger("org.apache.hc.client5.http.wire").debug("Authorization: Bearer s3cr3t");
        context.getLogger("io.opsmcp.guard.Guard").debug("ours");

        assertThat(seen.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("ours");
        LogDefaults.FLOORS.forEach((name, level) -> assertThat(
                        context.getLogger(name + ".Child").getEffectiveLevel().isGreaterOrEqual(Level.INFO))
                .as(name)
                .isTrue());
        context.stop();
    }

    @Test
    void aStricterRootLevelAlsoQuietsTheFlooredLoggers() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger sdk = context.getLogger("io.modelcontextprotocol.server.McpAsyncServer");
        try {
            LogSetup.apply("warn", null, LogSetup.Format.TEXT);
            assertThat(sdk.isInfoEnabled()).as("logging.level: warn").isFalse();
            assertThat(sdk.isWarnEnabled()).isTrue();
            LogSetup.apply("error", null, LogSetup.Format.TEXT);
            assertThat(sdk.isWarnEnabled()).as("logging.level: error").isFalse();
            LogSetup.apply("debug", null, LogSetup.Format.TEXT);
            assertThat(sdk.isDebugEnabled()).as("the floor holds at debug").isFalse();
            assertThat(sdk.isInfoEnabled()).isTrue();
            assertThat(context.getLogger("io.opsmcp.guard.Guard").isDebugEnabled())
                    .isTrue();
        } finally {
            LogSetup.apply("info", null, LogSetup.Format.TEXT);
        }
        assertThat(sdk.isInfoEnabled()).isTrue();
        assertThat(sdk.isDebugEnabled()).isFalse();
    }
}
