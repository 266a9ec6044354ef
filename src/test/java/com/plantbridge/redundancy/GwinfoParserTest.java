package com.plantbridge.redundancy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** /system/gwinfo as Ignition 8.1 and 8.3 answer it, and what the node makes of it. */
class GwinfoParserTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void aMasterThatIsActive() {
        GatewayRedundancy state = GwinfoParser.parse(
                "ContextStatus=RUNNING;Version=8.1.43;RedundancyStatus=Master;RedundantState=Good;RedundantNodeActiveStatus=Active;", NOW);

        assertThat(state.isKnown()).isTrue();
        assertThat(state.isActive()).isTrue();
        assertThat(state.isMaster()).isTrue();
        assertThat(state.observedAt()).isEqualTo(NOW);
    }

    @Test
    void aWarmOrColdBackupIsNotActive() {
        assertThat(GwinfoParser.parse("ContextStatus=RUNNING;RedundancyStatus=Backup;RedundantNodeActiveStatus=Warm;", NOW).isActive()).isFalse();
        assertThat(GwinfoParser.parse("ContextStatus=RUNNING;RedundancyStatus=Backup;RedundantNodeActiveStatus=Cold;", NOW).isActive()).isFalse();
    }

    @Test
    void anIndependentGatewayWithoutRedundancyFieldsIsActive() {
        GatewayRedundancy state = GwinfoParser.parse("ContextStatus=RUNNING;Version=8.3.1;", NOW);

        assertThat(state.role()).isEqualTo("Independent");
        assertThat(state.isActive()).isTrue();
    }

    @Test
    void aGatewayThatIsNotRunningIsUndecided() {
        GatewayRedundancy state = GwinfoParser.parse("ContextStatus=STARTING;RedundancyStatus=Master;RedundantNodeActiveStatus=Active;", NOW);

        assertThat(state.activityLevel()).isEqualTo("Undecided");
        assertThat(state.isActive()).isFalse();
    }

    @Test
    void aMasterOrBackupWithoutAnActivityLevelIsUnknown() {
        GatewayRedundancy state = GwinfoParser.parse("ContextStatus=RUNNING;RedundancyStatus=Backup;", NOW);

        assertThat(state.isKnown()).isFalse();
        assertThat(state.problem()).contains("RedundantNodeActiveStatus");
    }

    @Test
    void anHtmlPageOrUnknownValuesAreUnknownNotActive() {
        assertThat(GwinfoParser.parse("<html><body>Gateway is busy</body></html>", NOW).isKnown()).isFalse();
        assertThat(GwinfoParser.parse("ContextStatus=RUNNING;RedundancyStatus=Primary;RedundantNodeActiveStatus=Active;", NOW).isKnown()).isFalse();
        assertThat(GwinfoParser.parse("ContextStatus=RUNNING;RedundancyStatus=Master;RedundantNodeActiveStatus=Hot;", NOW).isKnown()).isFalse();
        assertThat(GwinfoParser.parse(null, NOW).isActive()).isFalse();
    }

    @Test
    void extraFieldsAndSpacesAreTolerated() {
        GatewayRedundancy state = GwinfoParser.parse(" ContextStatus=RUNNING; PlatformName=Ignition;RedundancyStatus=Backup ;RedundantNodeActiveStatus=Active;\n", NOW);

        assertThat(state.isActive()).isTrue();
        assertThat(state.role()).isEqualTo("Backup");
    }
}
