package com.plantbridge.redundancy;

import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * Polls {@code {ignition.gateway.url}/system/gwinfo} (no login on 8.1 and 8.3) with camel-http
 * and hands every answer, or the failure, to the {@link RedundancyMonitor}, which decides what a
 * failure means. The read timeout is its own setting: tied to the poll interval (500 ms), a busy
 * gateway's slow answer counted as a failure and cost leadership.
 */
public final class GwinfoRoute extends RouteBuilder {

    private final RedundancyMonitor monitor;
    private final String gatewayUrl;
    private final long pollMillis;
    private final long readTimeoutMillis;

    public GwinfoRoute(RedundancyMonitor monitor, String gatewayUrl, long pollMillis, long readTimeoutMillis) {
        this.monitor = monitor;
        this.gatewayUrl = trimmed(gatewayUrl);
        this.pollMillis = pollMillis;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    /** Where the state is read, for logs and status. */
    public static String url(String gatewayUrl) {
        return trimmed(gatewayUrl) + "/system/gwinfo";
    }

    private static String trimmed(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public void configure() {
        long timeout = readTimeoutMillis;
        // A timer with a fixed delay: a slow read delays the next one instead of piling requests up.
        from("timer:gwinfo?delay=0&fixedRate=false&period=" + pollMillis).routeId("redundancy-gwinfo")
                .removeHeaders("*")
                .doTry()
                    .to(url(gatewayUrl) + "?httpMethod=GET&throwExceptionOnFailure=false&copyHeaders=false"
                            + "&connectTimeout=" + timeout + "&responseTimeout=" + timeout + "&connectionRequestTimeout=" + timeout)
                    .process(this::onAnswer)
                .doCatch(Exception.class)
                    .process(e -> {
                        Exception error = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                        monitor.observe(GatewayRedundancy.unknown("gwinfo read failed: " + error.getClass().getSimpleName()
                                + (error.getMessage() == null ? "" : " " + error.getMessage()), Instant.now()));
                    })
                .end();
    }

    private void onAnswer(Exchange exchange) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status != 200) {
            monitor.observe(GatewayRedundancy.unknown("gwinfo answered HTTP " + status, Instant.now()));
            return;
        }
        monitor.observe(GwinfoParser.parse(exchange.getMessage().getBody(String.class), Instant.now()));
    }
}
