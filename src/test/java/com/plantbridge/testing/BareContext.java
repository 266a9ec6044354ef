package com.plantbridge.testing;

import org.apache.camel.cli.connector.DefaultCliConnectorFactory;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.CliConnectorFactory;

/**
 * A plain Camel context for tests of one piece. With camel-cli-connector on the classpath Camel 4.17
 * starts a CLI connector in every context (its factory is enabled by default): it writes status files
 * into the user's ~/.camel, reads the context from its own thread while the context is still starting
 * (measured: ConcurrentModificationException in the dev console registry and the bean introspection
 * cache), and stops every context of the JVM when another context's stop deletes the shared pid file.
 */
public final class BareContext {

    private BareContext() {
    }

    public static DefaultCamelContext create() {
        DefaultCamelContext context = new DefaultCamelContext();
        DefaultCliConnectorFactory off = new DefaultCliConnectorFactory();
        off.setEnabled(false);
        context.getCamelContextExtension().addContextPlugin(CliConnectorFactory.class, off);
        return context;
    }
}
