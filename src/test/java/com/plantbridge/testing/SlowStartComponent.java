package com.plantbridge.testing;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code slow-start:<name>}: a consumer that takes {@value #START_MILLIS} ms to start, as a
 * connector's route can under load, so that whoever starts its route holds the route locks that
 * long; like a start blocked in I/O it does not give up when interrupted. It never sends anything.
 */
public final class SlowStartComponent extends DefaultComponent {

    public static final long START_MILLIS = 500;
    /** Consumer starts begun in this JVM. */
    public static final AtomicInteger STARTS = new AtomicInteger();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new DefaultEndpoint(uri, this) {
            @Override
            public Producer createProducer() {
                throw new UnsupportedOperationException("slow-start: consumer only");
            }

            @Override
            public Consumer createConsumer(Processor processor) {
                return new DefaultConsumer(this, processor) {
                    @Override
                    protected void doStart() throws Exception {
                        super.doStart();
                        STARTS.incrementAndGet();
                        sleepUninterruptibly(START_MILLIS);
                    }
                };
            }
        };
    }

    private static void sleepUninterruptibly(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        boolean interrupted = false;
        for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
