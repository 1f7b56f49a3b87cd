package dev.natcheck.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.natcheck.classify.UntrustedText;
import org.slf4j.LoggerFactory;

/**
 * Logback configured in code (found through ServiceLoader): every log line to stderr, so stdout
 * carries verdicts only; WARN by default, {@code -v} INFO, {@code -vv} DEBUG, {@code -q} ERROR.
 * Code instead of logback.xml, and a fixed layout instead of a pattern, because parsing either
 * costs start-up time the CLI's budget has not got.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        Layout layout = new Layout();
        layout.setContext(context);
        layout.start();
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("stderr");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Sets the root level from the verbosity flags: -q wins over -v. Without either, logback is
     * left alone: {@link #configure} already sets WARN, and a run that logs nothing then never
     * starts logback at all (start-up time, see docs/benchmarks.md).
     */
    public static void apply(int verbosity, boolean quiet) {
        if (verbosity == 0 && !quiet) {
            return;
        }
        Level level = quiet
                ? Level.ERROR
                : switch (verbosity) {
                    case 0 -> Level.WARN;
                    case 1 -> Level.INFO;
                    case 2 -> Level.DEBUG;
                    default -> Level.TRACE;
                };
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(level);
        }
    }

    /** "natcheck LEVEL Logger: message", the stack trace after it when there is one. */
    private static final class Layout extends LayoutBase<ILoggingEvent> {
        @Override
        public String doLayout(ILoggingEvent event) {
            String logger = event.getLoggerName();
            StringBuilder line = new StringBuilder(128)
                    .append("natcheck ")
                    .append(event.getLevel())
                    .append(' ')
                    .append(logger.substring(logger.lastIndexOf('.') + 1))
                    .append(": ")
                    // Messages may quote what a server sent: shown escaped, at every level.
                    .append(UntrustedText.printable(event.getFormattedMessage()))
                    .append(System.lineSeparator());
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                line.append(ThrowableProxyUtil.asString(thrown)).append(System.lineSeparator());
            }
            return line.toString();
        }
    }
}
