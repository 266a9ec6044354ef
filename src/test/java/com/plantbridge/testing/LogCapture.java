package com.plantbridge.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * The log lines this JVM writes while it is open (those that pass the configured levels), so a test
 * can count them: "one ERROR, not one per retry" is a behaviour too.
 */
public final class LogCapture implements AutoCloseable {

    public record Line(Level level, String logger, String message, boolean hasStackTrace) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Appender appender = new Appender();

    public LogCapture() {
        appender.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
        context.updateLoggers();
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** Lines at {@code level} whose message contains {@code text}. */
    public List<Line> lines(Level level, String text) {
        return lines.stream().filter(l -> l.level() == level && l.message().contains(text)).toList();
    }

    /** Lines at WARN or above from classes of this project. */
    public List<Line> problems() {
        return lines.stream().filter(l -> l.level().isMoreSpecificThan(Level.WARN) && l.logger().startsWith("com.plantbridge")).toList();
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }

    private final class Appender extends AbstractAppender {
        Appender() {
            super("capture-" + System.identityHashCode(LogCapture.this), null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            lines.add(new Line(event.getLevel(), event.getLoggerName(), event.getMessage().getFormattedMessage(), event.getThrown() != null));
        }
    }
}
