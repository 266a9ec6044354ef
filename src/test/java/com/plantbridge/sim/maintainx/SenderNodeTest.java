package com.plantbridge.sim.maintainx;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SenderNodeTest {

    @Test
    void bridgeUserAgentNamesItsNode() {
        assertThat(SenderNode.of("ignition-maintainx-bridge/1.4.0 (node master-node)")).isEqualTo("master-node");
        assertThat(SenderNode.of("ignition-maintainx-bridge/1.4.0-SNAPSHOT (node Line 3 (north))"))
                .isEqualTo("Line 3 (north)");
    }

    @Test
    void otherClientsAreNamedByTheirRawUserAgent() {
        assertThat(SenderNode.of("curl/8.5.0")).isEqualTo("curl/8.5.0");
        assertThat(SenderNode.of("Java-http-client/17 (nodes are not named here)"))
                .isEqualTo("Java-http-client/17 (nodes are not named here)");
    }

    @Test
    void missingUserAgentIsUnknown() {
        assertThat(SenderNode.of(null)).isEqualTo(SenderNode.UNKNOWN);
        assertThat(SenderNode.of("  ")).isEqualTo(SenderNode.UNKNOWN);
    }
}
