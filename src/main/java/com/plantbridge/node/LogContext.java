package com.plantbridge.node;

import java.util.concurrent.ThreadFactory;
import java.util.function.Function;

import org.apache.camel.spi.ExecutorServiceManager;
import org.slf4j.MDC;

/**
 * Puts {@value #NODE} (and {@value #CONNECTOR} for a connector's own threads) in the log's MDC of
 * every thread the node takes from Camel's ExecutorServiceManager, for the whole life of the
 * thread: the log pattern in config/log4j2.properties prints them. Threads of libraries (Milo's
 * OPC UA stack, Vert.x) are not the node's and carry no MDC.
 */
public final class LogContext implements ExecutorServiceManager.ThreadFactoryListener {

    public static final String NODE = "node";
    public static final String CONNECTOR = "connector";

    private final String node;
    private final Function<Object, String> connectorOf;

    /** @param connectorOf the connector a thread's owner works for, or null */
    public LogContext(String node, Function<Object, String> connectorOf) {
        this.node = node;
        this.connectorOf = connectorOf;
    }

    @Override
    public ThreadFactory onNewThreadFactory(Object source, ThreadFactory factory) {
        String connector = source == null ? null : connectorOf.apply(source);
        return runnable -> factory.newThread(() -> {
            MDC.put(NODE, node);
            if (connector != null) {
                MDC.put(CONNECTOR, connector);
            }
            runnable.run();
        });
    }
}
