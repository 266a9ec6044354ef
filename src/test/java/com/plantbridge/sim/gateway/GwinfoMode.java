package com.plantbridge.sim.gateway;

/** How the simulated {@code /system/gwinfo} endpoint misbehaves, so a poller's error paths can be exercised. */
public enum GwinfoMode {
  /** 200 with a well-formed gwinfo line. */
  NORMAL,
  /** 500, as a gateway that is starting up or broken answers. */
  HTTP_500,
  /** 200 with a body no gwinfo parser can make sense of. */
  GARBAGE,
  /** HTTP server stopped: connections are refused. */
  DOWN,
  /** The request is read and the connection closed without an answer, as a reset or a dropped request looks. */
  DROP
}
