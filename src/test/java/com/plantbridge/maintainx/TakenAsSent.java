package com.plantbridge.maintainx;

import java.util.List;

import org.apache.camel.Processor;

import com.plantbridge.reading.MeterReading;

/**
 * For tests whose route ends somewhere other than {@code maintainx:}: marks the exchange's readings
 * as taken, as the maintainx: endpoint does once they are in the outbox.
 */
public final class TakenAsSent {

    private TakenAsSent() {
    }

    public static Processor processor() {
        return exchange -> {
            AcceptedReadings accepted = exchange.getProperty(AcceptedReadings.PROPERTY, AcceptedReadings.class);
            List<?> body = exchange.getMessage().getBody(List.class);
            if (accepted != null && body != null) {
                accepted.addAll(body.stream().map(MeterReading.class::cast).toList());
            }
        };
    }
}
