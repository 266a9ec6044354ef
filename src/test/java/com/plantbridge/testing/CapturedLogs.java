package com.plantbridge.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Every log event of this JVM, as formatted text (logger, level, message and stack trace), from an
 * appender added programmatically to the root logger. {@link #atLevelWithProductConfig} first loads
 * the product's own log4j2.properties, so its pinned loggers are what is tested.
 */
public final class CapturedLogs implements AutoCloseable {

    /** One event: which logger, at what level, and its whole text. */
    public record Line(String logger, Level level, String text) {
        @Override
        public String toString() {
            return level + " " + logger + " - " + text;
        }
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final AtomicLong count = new AtomicLong();
    private final LoggerContext context;
    private final URI restoreLocation;
    private final AbstractAppender appender;

    private CapturedLogs(URI productConfig, Level level) {
        context = (LoggerContext) LogManager.getContext(false);
        restoreLocation = productConfig == null ? null : testConfigLocation(context);
        if (productConfig != null) {
            context.setConfigLocation(productConfig);
        }
        appender = new AbstractAppender("captured-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                count.incrementAndGet();
                StringBuilder text = new StringBuilder(event.getMessage().getFormattedMessage());
                if (event.getThrown() != null) {
                    StringWriter trace = new StringWriter();
                    event.getThrown().printStackTrace(new PrintWriter(trace));
                    text.append('\n').append(trace);
                }
                lines.add(new Line(event.getLoggerName(), event.getLevel(), text.toString()));
            }
        };
        appender.start();
        Configuration config = context.getConfiguration();
        config.addAppender(appender);
        LoggerConfig root = config.getRootLogger();
        if (productConfig != null) {
            // As an operator who sets rootLogger.level: everything at that level, no console flood.
            root.setLevel(level);
            root.getAppenders().keySet().forEach(root::removeAppender);
        }
        root.addAppender(appender, null, null);
        context.updateLoggers();
    }

    /** Where the configuration in force came from, so that close() puts it back (log4j may not remember it). */
    private static URI testConfigLocation(LoggerContext context) {
        if (context.getConfigLocation() != null) {
            return context.getConfigLocation();
        }
        try {
            return CapturedLogs.class.getClassLoader().getResource("log4j2-test.properties").toURI();
        } catch (Exception e) {
            throw new IllegalStateException("log4j2-test.properties is not on the class path", e);
        }
    }

    /** Captures what the test configuration logs already (INFO for the product, WARN for libraries). */
    public static CapturedLogs withTestConfig() {
        return new CapturedLogs(null, null);
    }

    /** The product's log4j2.properties with its root logger at {@code level}: what a site sees when it turns logging up. */
    public static CapturedLogs atLevelWithProductConfig(Level level) {
        try {
            URI product = CapturedLogs.class.getClassLoader().getResource("log4j2.properties").toURI();
            return new CapturedLogs(product, level);
        } catch (Exception e) {
            throw new IllegalStateException("the product's log4j2.properties is not on the class path", e);
        }
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    public long count() {
        return count.get();
    }

    /** Lines whose text contains {@code text}. */
    public List<Line> containing(String text) {
        return lines.stream().filter(l -> l.text().contains(text)).toList();
    }

    /** Lines of one class's logger whose text contains {@code text}. */
    public List<Line> containing(Class<?> logger, String text) {
        return lines.stream().filter(l -> l.logger().equals(logger.getName()) && l.text().contains(text)).toList();
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        config.getRootLogger().removeAppender(appender.getName());
        appender.stop();
        if (restoreLocation != null) {
            context.setConfigLocation(restoreLocation);
        } else {
            context.updateLoggers();
        }
    }
}
