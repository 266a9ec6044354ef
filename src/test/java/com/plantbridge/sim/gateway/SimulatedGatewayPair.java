package com.plantbridge.sim.gateway;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A redundant Master/Backup pair for demos: Master starts Active, Backup at the standby level (Cold unless
 * said otherwise). Failover and failback only move activity levels (gwinfo and [System] tags); both OPC UA
 * servers keep running, as in real Ignition redundancy where the backup's server stays reachable while Cold
 * or Warm. With a Warm standby a test writes each change to both gateways, as both watch the same machine.
 */
public final class SimulatedGatewayPair implements AutoCloseable {

  public static final String COLD = "Cold";
  public static final String WARM = "Warm";

  private final SimulatedGateway master;
  private final SimulatedGateway backup;
  private final String standbyLevel;
  private DemoTagDriver demo;

  private SimulatedGatewayPair(SimulatedGateway master, SimulatedGateway backup, String standbyLevel) {
    this.master = master;
    this.backup = backup;
    this.standbyLevel = standbyLevel;
  }

  /** Ports as in {@link SimulatedGateway.Builder}: 0 picks a free one. */
  public static SimulatedGatewayPair start(int masterOpcUaPort, int masterHttpPort, int backupOpcUaPort, int backupHttpPort) {
    return start(masterOpcUaPort, masterHttpPort, backupOpcUaPort, backupHttpPort, UnaryOperator.identity());
  }

  /** @param common applied to both builders, e.g. to set a user or enable Basic256Sha256 */
  public static SimulatedGatewayPair start(
      int masterOpcUaPort, int masterHttpPort, int backupOpcUaPort, int backupHttpPort,
      UnaryOperator<SimulatedGateway.Builder> common) {
    return start(masterOpcUaPort, masterHttpPort, backupOpcUaPort, backupHttpPort, COLD, common);
  }

  /** @param standbyLevel {@link #COLD} or {@link #WARM}: the level of the gateway that is not Active */
  public static SimulatedGatewayPair start(
      int masterOpcUaPort, int masterHttpPort, int backupOpcUaPort, int backupHttpPort, String standbyLevel,
      UnaryOperator<SimulatedGateway.Builder> common) {
    SimulatedGateway master = common.apply(SimulatedGateway.builder()
            .name("master").opcUaPort(masterOpcUaPort).httpPort(masterHttpPort)
            .role("Master").activityLevel("Active"))
        .start();
    try {
      SimulatedGateway backup = common.apply(SimulatedGateway.builder()
              .name("backup").opcUaPort(backupOpcUaPort).httpPort(backupHttpPort)
              .role("Backup").activityLevel(standbyLevel))
          .start();
      return new SimulatedGatewayPair(master, backup, standbyLevel);
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

  public String standbyLevel() {
    return standbyLevel;
  }

  /** Master drops to the standby level and Backup takes over as Active. */
  public void failover() {
    master.setRedundancy("Master", standbyLevel);
    backup.setRedundancy("Backup", "Active");
  }

  /** Master is Active again and Backup returns to the standby level. */
  public void failback() {
    backup.setRedundancy("Backup", standbyLevel);
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
