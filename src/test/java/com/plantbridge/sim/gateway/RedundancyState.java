package com.plantbridge.sim.gateway;

import java.util.Objects;

/** Redundancy role and activity level of one gateway, and how Ignition reports them. */
public record RedundancyState(String role, String activityLevel) {

  public RedundancyState {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(activityLevel, "activityLevel");
  }

  public boolean isActive() {
    return "Active".equals(activityLevel);
  }

  public boolean isMaster() {
    return "Master".equals(role);
  }

  /** The single line a real gateway answers on {@code /system/gwinfo}. */
  String gwinfoLine(String version) {
    return "ContextStatus=RUNNING;Version=" + version
        + ";RedundancyStatus=" + role
        + ";RedundantState=Good"
        + ";RedundantNodeActiveStatus=" + activityLevel + ";";
  }
}
