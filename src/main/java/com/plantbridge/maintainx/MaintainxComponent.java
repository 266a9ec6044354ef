package com.plantbridge.maintainx;

import java.util.List;
import java.util.Map;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code maintainx:<connector>}: hands a {@link MeterReading}, or a List of them, to that
 * connector's sender. The call returns once they are in the outbox; batching, rate limit and
 * retries happen behind it.
 */
public class MaintainxComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new ReadingsEndpoint(uri, this, remaining);
    }

    static final class ReadingsEndpoint extends DefaultEndpoint {
        private final String connector;

        ReadingsEndpoint(String uri, MaintainxComponent component, String connector) {
            super(uri, component);
            this.connector = connector;
        }

        @Override
        public Producer createProducer() {
            MaintainxSenders senders = getCamelContext().getRegistry().findSingleByType(MaintainxSenders.class);
            return new DefaultProducer(this) {
                @Override
                public void process(Exchange exchange) throws Exception {
                    Object body = exchange.getMessage().getBody();
                    if (body instanceof List<?> readings) {
                        senders.accept(connector, readings.stream().map(MeterReading.class::cast).toList());
                    } else {
                        senders.accept(connector, List.of(exchange.getMessage().getMandatoryBody(MeterReading.class)));
                    }
                }
            };
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new UnsupportedOperationException("maintainx: only sends readings");
        }
    }
}
