package com.plantbridge.maintainx;

import java.util.List;
import java.util.Map;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

import com.plantbridge.knowledge.OwnLedger;
import com.plantbridge.reading.MeterReading;

/**
 * {@code maintainx:<connector>}: hands a List of {@link MeterReading} to that connector's sender,
 * which sends them with that connector's token. The call returns once they are in the outbox;
 * batching, rate limit and retries happen behind it.
 */
public class MaintainxComponent extends DefaultComponent {

    private final MaintainxSenders senders;
    private final OwnLedger ledger;

    public MaintainxComponent(MaintainxSenders senders, OwnLedger ledger) {
        this.senders = senders;
        this.ledger = ledger;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new ReadingsEndpoint(uri, this, remaining, senders, ledger);
    }

    static final class ReadingsEndpoint extends DefaultEndpoint {
        private final String connector;
        private final MaintainxSenders senders;
        private final OwnLedger ledger;

        ReadingsEndpoint(String uri, MaintainxComponent component, String connector, MaintainxSenders senders, OwnLedger ledger) {
            super(uri, component);
            this.connector = connector;
            this.senders = senders;
            this.ledger = ledger;
        }

        @Override
        public Producer createProducer() {
            return new DefaultProducer(this) {
                @Override
                public void process(Exchange exchange) throws Exception {
                    List<MeterReading> readings = readings(exchange);
                    // The endpoint names the connector: a route may send one connector's readings to another's token.
                    List<MeterReading> own = readings.stream().map(r -> r.forConnector(connector)).toList();
                    // An exchange from the tag consumer carries AcceptedReadings: it was captured while this node led.
                    AcceptedReadings accepted = exchange.getProperty(AcceptedReadings.PROPERTY, AcceptedReadings.class);
                    if (senders.accept(connector, own, accepted != null)) {
                        ledger.accepted(own);
                    }
                    if (accepted != null) {
                        accepted.addAll(readings);
                    }
                }
            };
        }

        /** The route contract: a List of MeterReading (one reading alone is taken too). */
        private static List<MeterReading> readings(Exchange exchange) throws Exception {
            Object body = exchange.getMessage().getBody();
            if (body instanceof MeterReading reading) {
                return List.of(reading);
            }
            if (body instanceof List<?> list && list.stream().allMatch(MeterReading.class::isInstance)) {
                return list.stream().map(MeterReading.class::cast).toList();
            }
            throw new InvalidPayloadException(exchange, List.class);
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new UnsupportedOperationException("maintainx: only sends readings");
        }
    }
}
