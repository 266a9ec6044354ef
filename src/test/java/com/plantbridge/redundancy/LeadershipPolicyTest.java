package com.plantbridge.redundancy;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Who sends: a pure function of this node's gateway, the peer's view, the enable flag and the error state. */
class LeadershipPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final GatewayRedundancy MASTER_ACTIVE = new GatewayRedundancy("Master", "Active", NOW, null);
    private static final GatewayRedundancy BACKUP_ACTIVE = new GatewayRedundancy("Backup", "Active", NOW, null);
    private static final GatewayRedundancy BACKUP_WARM = new GatewayRedundancy("Backup", "Warm", NOW, null);

    private static PeerView peer(String role, String level, boolean enabled) {
        return new PeerView("peer", "1.0", "1.0", 1, role, level, enabled, false, 1, "", null, true, NOW);
    }

    @Test
    void aNodeLeadsWhileItsGatewayIsActive() {
        assertThat(LeadershipPolicy.decide(MASTER_ACTIVE, Optional.empty(), true, null).lead()).isTrue();
        assertThat(LeadershipPolicy.decide(BACKUP_ACTIVE, Optional.empty(), true, null).lead()).isTrue();
    }

    @Test
    void aWarmOrUnknownGatewayNeverLeads() {
        assertThat(LeadershipPolicy.decide(BACKUP_WARM, Optional.empty(), true, null).lead()).isFalse();
        LeadershipPolicy.Decision unknown = LeadershipPolicy.decide(GatewayRedundancy.unknown("gwinfo unreachable", NOW), Optional.empty(), true, null);
        assertThat(unknown.lead()).isFalse();
        assertThat(unknown.reason()).contains("gwinfo unreachable");
    }

    @Test
    void aDisabledNodeNeverLeads() {
        LeadershipPolicy.Decision decision = LeadershipPolicy.decide(MASTER_ACTIVE, Optional.empty(), false, null);

        assertThat(decision.lead()).isFalse();
        assertThat(decision.reason()).contains("disabled");
    }

    @Test
    void aNodeInARedundancyErrorStateDoesNotLead() {
        LeadershipPolicy.Decision decision = LeadershipPolicy.decide(BACKUP_ACTIVE, Optional.empty(), true, "no settings from the Master's node yet");

        assertThat(decision.lead()).isFalse();
        assertThat(decision.reason()).contains("no settings");
    }

    @Test
    void whenBothGatewaysAreActiveTheBackupsNodeYieldsToAnEnabledMastersNode() {
        assertThat(LeadershipPolicy.decide(BACKUP_ACTIVE, Optional.of(peer("Master", "Active", true)), true, null).lead()).isFalse();
        assertThat(LeadershipPolicy.decide(MASTER_ACTIVE, Optional.of(peer("Backup", "Active", true)), true, null).lead()).isTrue();
    }

    @Test
    void theBackupsNodeLeadsWhenTheMastersNodeIsDisabledOrItsGatewayNotActive() {
        assertThat(LeadershipPolicy.decide(BACKUP_ACTIVE, Optional.of(peer("Master", "Active", false)), true, null).lead()).isTrue();
        assertThat(LeadershipPolicy.decide(BACKUP_ACTIVE, Optional.of(peer("Master", "Cold", true)), true, null).lead()).isTrue();
    }

    @Test
    void aNodeWhoseGatewayCannotBeReadYieldsAsSoonAsThePeersGatewaySaysActive() {
        LeadershipPolicy.Decision decision = LeadershipPolicy.decide(MASTER_ACTIVE, true, Optional.of(peer("Backup", "Active", true)), true, null);
        assertThat(decision.lead()).isFalse();
        assertThat(decision.reason()).contains("cannot be read").contains("Active");

        assertThat(LeadershipPolicy.decide(MASTER_ACTIVE, true, Optional.of(peer("Backup", "Cold", true)), true, null).lead())
                .as("the peer's gateway is not Active: nothing to follow yet").isTrue();
        assertThat(LeadershipPolicy.decide(MASTER_ACTIVE, true, Optional.empty(), true, null).lead())
                .as("no peer view: stale-after decides").isTrue();
    }

    @Test
    void aPeerThatReleasedOrWhoseGatewayIsNotActiveOrUnreadableIsEvidenceToTakeOver() {
        assertThat(peer("Master", "Active", true).releasedOrNotActive()).as("standby: not leading").isTrue();
        assertThat(new PeerView("peer", "1.0", "1.0", 1, "Master", "Active", true, true, 1, "", null, true, NOW).releasedOrNotActive())
                .as("leading with its gateway Active").isFalse();
        assertThat(new PeerView("peer", "1.0", "1.0", 1, "Master", "Active", true, true, 1, "", null, false, NOW).releasedOrNotActive())
                .as("leading, but its gateway cannot be read").isTrue();
        assertThat(new PeerView("peer", "1.0", "1.0", 1, "Master", "Cold", true, true, 1, "", null, true, NOW).releasedOrNotActive()).isTrue();
    }
}
