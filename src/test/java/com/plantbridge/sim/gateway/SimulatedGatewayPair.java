package com.plantbridge.sim.gateway;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A redundant Master/Backup pair for demos: Master starts Active, Backup Cold. Failover and failback only
 * move activity levels (gwinfo and [System] tags); both OPC UA servers keep running, as in real Ignition
 * redundancy where the backup's server stays reachable while Cold.
 */
public final class SimulatedGatewayPair implements AutoCloseable {

  private final SimulatedGateway master;
  private final SimulatedGateway backup;
  private DemoTagDriver demo;

  private SimulatedGatewayPair(SimulatedGateway master, SimulatedGateway backup) {
    this.master = master;
    this.backup = backup;
  }

  /** Ports as in {@link SimulatedGateway.Builder}: 0 picks a free one. */
  public static SimulatedGatewayPair start(int masterOpcUaPort, int masterHttpPort, int backupOpcUaPort, int backupHttpPort) {
    return start(masterOpcUaPort, masterHttpPort, backupOpcUaPort, backupHttpPort, UnaryOperator.identity());
  }

  /** @param common applied to both builders, e.g. to set a user or enable Basic256Sha256 */
  public static SimulatedGatewayPair start(
      int masterOpcUaPort, int masterHttpPort, int backupOpcUaPort, int backupHttpPort,
      UnaryOperator<SimulatedGateway.Builder> common) {
    SimulatedGateway master = common.apply(SimulatedGateway.builder()
            .name("master").opcUaPort(masterOpcUaPort).httpPort(masterHttpPort)
            .role("Master").activityLevel("Active"))
        .start();
    try {
      SimulatedGateway backup = common.apply(SimulatedGateway.builder()
              .name("backup").opcUaPort(backupOpcUaPort).httpPort(backupHttpPort)
              .role("Backup").activityLevel("Cold"))
          .start();
      return new SimulatedGatewayPair(master, backup);
    } catch (RuntimeException e) {
      master.close();
      throw e;
    }
  }

  public SimulatedGateway master() {
    return master;
  }

  public SimulatedGateway backup() {
    return backup;
  }

  /** Demo values on both gateways (the same machine seen by both, as with a Warm standby). */
  public synchronized void startDemoChanges(java.time.Duration period) {
    if (demo == null) {
      demo = new DemoTagDriver(List.of(master, backup), "pair");
      demo.start(period);
    }
  }

  /** For the demo page: {@code "<name> gateway"} to {@code "Role / ActivityLevel"}, Master first. */
  public Map<String, String> redundancy() {
    Map<String, String> states = new LinkedHashMap<>();
    for (SimulatedGateway gateway : List.of(master, backup)) {
      RedundancyState state = gateway.redundancy();
      states.put(gateway.name() + " gateway", state.role() + " / " + state.activityLevel());
    }
    return states;
  }

  /** Master drops to Cold and Backup takes over as Active. */
  public void failover() {
    master.setRedundancy("Master", "Cold");
    backup.setRedundancy("Backup", "Active");
  }

  /** Master is Active again and Backup returns to Cold. */
  public void failback() {
    backup.setRedundancy("Backup", "Cold");
    master.setRedundancy("Master", "Active");
  }

  @Override
  public void close() {
    if (demo != null) {
      demo.close();
    }
    try {
      backup.close();
    } finally {
      master.close();
    }
  }
}
