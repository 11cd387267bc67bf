package io.opsmcp.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * The base logging configuration, applied by Logback when it starts (found through {@code
 * META-INF/services/ch.qos.logback.classic.spi.Configurator}, which Logback consults before it looks for XML):
 * text to stderr only — on the stdio transport stdout carries JSON-RPC and nothing else —, and floors for the
 * wire-level loggers. {@link LogSetup} then applies {@code logging.level/file/format}. In code rather than a
 * {@code logback.xml}, because Joran's XML configuration loads ~450 classes (Joran, its model, the JDK's XML parser)
 * on every start, before the first answer. {@code -Dlogback.configurationFile=FILE} still selects an XML file of the
 * operator's: then this steps aside for Logback's own configurators.
 */
public final class LogDefaults extends ContextAwareBase implements Configurator {

    /**
     * Wire-level loggers print whole messages (tool arguments with their secrets, credential headers) at debug:
     * never below these levels, whatever {@code logging.level} says (it sets the root logger only). The MCP SDK logs
     * every received JSON-RPC message raw at DEBUG. The rest is chatter: Tomcat listing threads that tool calls and
     * SSH sessions started (stopped right after), pool and migration messages (ops-mcp logs the store it opened in
     * its own start-up line).
     */
    static final Map<String, Level> FLOORS = Map.ofEntries(
            Map.entry("io.modelcontextprotocol", Level.INFO),
            Map.entry("org.apache.http.wire", Level.INFO),
            Map.entry("org.apache.hc.client5.http.wire", Level.INFO),
            Map.entry("jdk.internal.httpclient", Level.INFO),
            Map.entry("org.apache.sshd", Level.WARN),
            Map.entry("net.schmizz", Level.WARN),
            Map.entry("com.hierynomus", Level.WARN),
            Map.entry("org.apache.catalina", Level.WARN),
            Map.entry("org.apache.tomcat", Level.WARN),
            Map.entry("org.apache.coyote", Level.WARN),
            Map.entry("org.apache.catalina.loader.WebappClassLoaderBase", Level.ERROR),
            Map.entry("org.springframework", Level.WARN),
            Map.entry("com.zaxxer.hikari", Level.WARN),
            Map.entry("org.flywaydb", Level.WARN));

    /** Logback instantiates it (public, no arguments). */
    public LogDefaults() {}

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        // Keeps java.util.logging (Tomcat) level checks cheap once bridged to SLF4J.
        LevelChangePropagator jul = new LevelChangePropagator();
        jul.setContext(context);
        jul.setResetJUL(true);
        context.addListener(jul);
        jul.start();

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(LogSetup.PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName(LogSetup.STDERR);
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();

        FLOORS.forEach((name, level) -> context.getLogger(name).setLevel(level));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
