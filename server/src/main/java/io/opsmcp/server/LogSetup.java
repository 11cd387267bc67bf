package io.opsmcp.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Applies {@code logging.level}, {@code logging.file} and {@code logging.format} to Logback at start. The base
 * configuration ({@link LogDefaults}) writes text to stderr; with a file configured, logs go to the file instead;
 * with {@code format: json}, each event is one JSON object per line (Logback's {@link JsonEncoder}: {@code
 * timestamp}, {@code level}, {@code threadName}, {@code loggerName}, {@code mdc}, {@code formattedMessage},
 * {@code throwable}). Never stdout: on the stdio transport it carries JSON-RPC only.
 *
 * <p>While a request is handled, the MDC holds {@value #REQUEST_ID} (the id the audit log records too) and
 * {@value #PRINCIPAL} (the caller's id, never a credential); the JSON lines carry them under {@code mdc}.
 */
public final class LogSetup {

    /** MDC key of the request id: the audit record's {@code request_id}. */
    public static final String REQUEST_ID = "request_id";
    /** MDC key of the caller's principal id. */
    public static final String PRINCIPAL = "principal";
    /** MDC key of the tool being called. */
    public static final String TOOL = "tool";

    /** Name of the base configuration's stderr appender ({@link LogDefaults}). */
    static final String STDERR = "STDERR";

    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n";

    /** {@code logging.format}. */
    public enum Format {
        TEXT,
        JSON;

        /** {@code text} or {@code json} (validated by {@code ServerSettings}). */
        public static Format of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    private LogSetup() {}

    /**
     * @param level  {@code logging.level}
     * @param file   {@code logging.file}, or {@code null} for stderr
     * @param format {@code logging.format}
     */
    public static void apply(String level, Path file, Format format) {
        // Tomcat logs through java.util.logging, whose default handler prints to stderr in its own format.
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level rootLevel = Level.toLevel(level, Level.INFO);
        root.setLevel(rootLevel);
        if (System.getProperty("logback.configurationFile") == null) { // else an operator's XML set these loggers
            // A floor keeps a wire-level logger off DEBUG; it must not make it louder than the root. `logging.level:
            // warn` still printed the MCP SDK's INFO lines, one per initialize, formatted on the answer's path.
            LogDefaults.FLOORS.forEach((name, floor) ->
                    context.getLogger(name).setLevel(floor.isGreaterOrEqual(rootLevel) ? floor : rootLevel));
        }
        if (file == null && format == Format.TEXT) {
            return;
        }
        OutputStreamAppender<ILoggingEvent> appender;
        if (file == null) {
            ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
            console.setTarget("System.err");
            appender = console;
        } else {
            FileAppender<ILoggingEvent> fileAppender = new FileAppender<>();
            fileAppender.setFile(file.toString());
            fileAppender.setAppend(true);
            appender = fileAppender;
        }
        appender.setContext(context);
        appender.setName(file == null ? "STDERR_JSON" : "FILE");
        appender.setEncoder(encoder(context, format));
        appender.start();
        root.detachAppender(STDERR);
        root.addAppender(appender);
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, Format format) {
        if (format == Format.JSON) {
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            // The message once, formatted; not the template plus its raw arguments again, and no sequence numbers.
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithFormattedMessage(true);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.start();
            return json;
        }
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern(PATTERN);
        text.start();
        return text;
    }
}
