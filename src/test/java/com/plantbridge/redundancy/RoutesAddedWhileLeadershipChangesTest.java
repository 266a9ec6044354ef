package com.plantbridge.redundancy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.spi.ExceptionHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connector routes are made from the template while leadership may change (at the context-started
 * event, when the mirrored settings arrive, when a user saves the settings). camel-cluster 4.17's
 * ClusteredRoutePolicy records a new route in the route sets that a leadership change iterates,
 * without that change's lock: routes added directly while leadership flips fail one thread or the
 * other with a ConcurrentModificationException. Added through {@link RedundancyClusterService#changeRoutes}
 * (as {@code tags/ConnectorRoutes} does) they never do, and every route follows the last decision.
 */
class RoutesAddedWhileLeadershipChangesTest {

    private static final Logger LOG = LoggerFactory.getLogger(RoutesAddedWhileLeadershipChangesTest.class);
    private static final int ROUTES = 200;
    private static final int MAX_ROUNDS = 10;

    private final List<DefaultCamelContext> contexts = new ArrayList<>();

    @AfterEach
    void stop() {
        contexts.forEach(DefaultCamelContext::stop);
    }

    @Test
    void routesAddedBesideTheClusterServiceRaceTheLeadershipChange() throws Exception {
        List<Throwable> failures = List.of();
        int rounds = 0;
        while (failures.isEmpty() && rounds < MAX_ROUNDS) {
            rounds++;
            failures = addWhileLeadershipFlips(false).failures;
        }
        LOG.info("Routes added beside the cluster service: {} failures in round {} of {} routes (the first: {})", failures.size(), rounds, ROUTES,
                failures.isEmpty() ? "none" : failures.get(0).toString());
        assertThat(failures)
                .as("camel-cluster defect NOT reproduced in %d rounds of %d routes: ClusteredRoutePolicy may guard its route sets now", rounds, ROUTES)
                .isNotEmpty()
                .anySatisfy(failure -> assertThat(failure).isInstanceOf(java.util.ConcurrentModificationException.class));
    }

    @Test
    void routesAddedThroughTheClusterServiceFollowEveryLeadershipChange() throws Exception {
        for (int round = 0; round < 3; round++) {
            Round result = addWhileLeadershipFlips(true);
            assertThat(result.failures).as("failures of the policy or of adding a route").isEmpty();
            assertThat(result.statuses()).as("every route started: the last decision was to lead").hasSize(ROUTES).containsOnly(ServiceStatus.Started);

            result.cluster.setLeader(false);
            assertThat(result.statuses()).as("every route stopped after leadership was given up").containsOnly(ServiceStatus.Stopped);
            assertThat(result.failures).isEmpty();
        }
    }

    private Round addWhileLeadershipFlips(boolean throughClusterService) throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        contexts.add(context);
        context.getShutdownStrategy().setTimeout(5);
        RedundancyClusterService cluster = new RedundancyClusterService("node");
        context.addService(cluster, true, true);
        ClusteredRoutePolicy policy = ClusteredRoutePolicy.forNamespace(cluster, "routes-under-test");
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        policy.setExceptionHandler(new Recording(failures));
        context.start();

        AtomicBoolean adding = new AtomicBoolean(true);
        Thread flipper = new Thread(() -> {
            boolean lead = true;
            try {
                while (adding.get()) {
                    cluster.setLeader(lead);
                    lead = !lead;
                }
                cluster.setLeader(true);
            } catch (Exception | Error e) {
                failures.add(e);
            }
        }, "leadership-flips");
        flipper.start();
        try {
            for (int i = 0; i < ROUTES; i++) {
                RouteBuilder route = leaderOnlyRoute(i, policy);
                try {
                    if (throughClusterService) {
                        cluster.changeRoutes(() -> context.addRoutes(route));
                    } else {
                        context.addRoutes(route);
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            }
        } finally {
            adding.set(false);
            flipper.join();
        }
        return new Round(context, cluster, failures);
    }

    private static RouteBuilder leaderOnlyRoute(int index, ClusteredRoutePolicy policy) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in-" + index).routeId("leader-only-" + index).routePolicy(policy).transform(constant("sent"));
            }
        };
    }

    private record Round(DefaultCamelContext context, RedundancyClusterService cluster, List<Throwable> failures) {
        List<ServiceStatus> statuses() {
            List<ServiceStatus> statuses = new ArrayList<>();
            for (int i = 0; i < ROUTES; i++) {
                statuses.add(context.getRouteController().getRouteStatus("leader-only-" + i));
            }
            return statuses;
        }
    }

    private record Recording(List<Throwable> failures) implements ExceptionHandler {
        @Override
        public void handleException(Throwable exception) {
            failures.add(exception);
        }

        @Override
        public void handleException(String message, Throwable exception) {
            failures.add(exception);
        }

        @Override
        public void handleException(String message, Exchange exchange, Throwable exception) {
            failures.add(exception);
        }
    }
}
