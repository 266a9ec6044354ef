package com.plantbridge.redundancy;

import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * Polls {@code {ignition.gateway.url}/system/gwinfo} (no login on 8.1 and 8.3) with camel-http
 * and hands every answer, or the failure, to the {@link RedundancyMonitor}.
 */
public final class GwinfoRoute extends RouteBuilder {

    private final RedundancyMonitor monitor;
    private final String gatewayUrl;
    private final long pollMillis;

    public GwinfoRoute(RedundancyMonitor monitor, String gatewayUrl, long pollMillis) {
        this.monitor = monitor;
        this.gatewayUrl = gatewayUrl.endsWith("/") ? gatewayUrl.substring(0, gatewayUrl.length() - 1) : gatewayUrl;
        this.pollMillis = pollMillis;
    }

    @Override
    public void configure() {
        // A slow answer is as bad as none: it must not hold leadership past the next poll.
        long timeout = Math.max(200, Math.min(pollMillis, 2_000));
        from("timer:gwinfo?delay=0&period=" + pollMillis).routeId("redundancy-gwinfo")
                .removeHeaders("*")
                .doTry()
                    .to(gatewayUrl + "/system/gwinfo?httpMethod=GET&throwExceptionOnFailure=false&copyHeaders=false"
                            + "&connectTimeout=" + timeout + "&responseTimeout=" + timeout + "&connectionRequestTimeout=" + timeout)
                    .process(this::onAnswer)
                .doCatch(Exception.class)
                    .process(e -> {
                        Exception error = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                        monitor.observe(GatewayRedundancy.unknown("gwinfo unreachable: " + error.getClass().getSimpleName()
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
